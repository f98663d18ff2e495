@area:Scaling
Feature: Scaling a deployment behind a service
  Endpoints follow the pods as a deployment scales or loses a pod, and kube-proxy follows the
  endpoints, so a client that keeps requesting the service never notices. For UDP, which has no
  connection to end, kube-proxy also removes the conntrack entries that still lead to a removed pod.

  @serial
  Scenario: Scaling up to 5 and down to 1 while a client keeps requesting
    Given a deployment "hello" with 2 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080 that keeps serving for 3 seconds after it is deleted
    And a client pod
    And the deployment is exposed with a ClusterIP service on port 80 targeting port 8080
    And 10 requests from the client pod to the service reach all 2 pods
    When the client pod keeps requesting the service in the background
    And the deployment is scaled to 5 replicas
    Then the service's ready endpoints are the IPs of its 5 pods
    And 40 requests from the client pod to the service reach all 5 pods
    When the deployment is scaled to 1 replica
    Then the service's ready endpoints are the IPs of its 1 pod
    And 5 requests from the client pod to the service reach all 1 pods
    And none of the background client's requests failed

  @upstream:Networking-Granular-Checks-Services-should-update-endpoints-http
  Scenario: Deleting a pod moves its traffic to the replacement
    Given a deployment "hello" with 2 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    And a client pod
    And the deployment is exposed with a ClusterIP service on port 80 targeting port 8080
    And 10 requests from the client pod to the service reach all 2 pods
    When one of the deployment's pods is deleted
    Then 20 requests from the client pod to the service reach all 2 pods

  Scenario Outline: A UDP client that keeps its source port reaches the pod that replaced the one it talked to, through <way>
    Given a deployment "udp-server" with 1 replica of the netexec server on port 8080 and UDP port 8081
    And a UDP client pod
    And the deployment is exposed with a <type> service with these ports:
      | name | port | target port | protocol |
      | udp  | 90   | 8081        | UDP      |
    And the UDP client pod, sending from port 12345 to <target>, is answered by the deployment's pod
    When one of the deployment's pods is deleted
    Then the UDP client pod, sending from port 12345 to <target>, is answered by the deployment's pod

    @upstream:Conntrack-should-be-able-to-preserve-UDP-traffic-when-server-pod-cycles-for-a-ClusterIP-service
    Examples: the cluster IP
      | way            | type      | target                  |
      | the cluster IP | ClusterIP | the service             |

    @upstream:Conntrack-should-be-able-to-preserve-UDP-traffic-when-server-pod-cycles-for-a-NodePort-service
    Examples: a node port
      | way            | type      | target                  |
      | a node port    | NodePort  | the node port on worker |
