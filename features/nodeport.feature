@area:NodePort
Feature: NodePort Service
  Expose a service on each node on the same static port,
  reachable on every node's IP:PORT from outside the cluster, over TCP and UDP.

  @needs:outside-client @upstream:Services-should-be-able-to-create-a-functioning-NodePort-service
  Scenario: Application running in pods accessed from outside of the cluster
    Given a deployment "nginx" with 3 replicas of image "nginx" listening on port 80
    When the deployment is exposed with a NodePort service on port 80
    Then the service gets a node port between 30000 and 32767
    And the page is served on every node's IP at the node port, from outside the cluster
    And 30 requests from outside the cluster reach all 3 pods

  @needs:outside-client
  Scenario: A chosen node port
    Given a deployment "hello-world" with 2 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    When the deployment is exposed with a NodePort service on port 80 targeting port 8080 with node port 30080
    Then from outside the cluster, every node's IP at port 30080 answers "Hello, world!" from one of the pods

  @upstream:Services-should-prevent-NodePort-collisions
  Scenario: A node port that is taken is refused, and free again once its service is gone
    Given a NodePort service "first" on port 80 with node port 30081
    When a NodePort service "second" on port 80 asks for node port 30081
    Then the API server refuses it with status 422 and the message 'Service "second" is invalid: spec.ports[0].nodePort: Invalid value: 30081: provided port is already allocated'
    When service "first" is deleted
    And a NodePort service "second" on port 80 asks for node port 30081
    Then it gets node port 30081

  @upstream:Services-should-check-NodePort-out-of-range
  Scenario: A node port outside the range is refused
    When a NodePort service "wide" on port 80 asks for node port 20000
    Then the API server refuses it with status 422 and the message 'Service "wide" is invalid: spec.ports[0].nodePort: Invalid value: 20000: provided port is not in the valid range. The range of valid ports is 30000-32767'

  @needs:outside-client @upstream:Services-should-serve-multiport-endpoints-from-pods
  Scenario: A service with two named ports gets a node port for each
    Given a deployment "hello-world" with 2 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    When the deployment is exposed with a NodePort service with these ports:
      | name  | port | target port |
      | http  | 80   | 8080        |
      | admin | 81   | 8080        |
    Then from outside the cluster, every node's IP at the node port of "http" answers "Hello, world!" from one of the pods
    And from outside the cluster, every node's IP at the node port of "admin" answers "Hello, world!" from one of the pods

  @needs:outside-client @upstream:Networking-Granular-Checks-Services-should-update-nodePort-http
  Scenario: The node port stops answering once its service is deleted
    Given a deployment "hello-world" with 1 replica of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    And the deployment is exposed with a NodePort service on port 80 targeting port 8080 with node port 30082
    And from outside the cluster, every node's IP at port 30082 answers "Hello, world!" from one of the pods
    When service "hello-world" is deleted
    Then from outside the cluster, no node's IP answers at port 30082 any more

  @needs:outside-client
  Scenario: Where a NodePort service answers from, inside and outside the cluster
    Given a deployment "hello-world" with 2 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    And a client pod
    When the deployment is exposed with a NodePort service on port 80 targeting port 8080
    Then requests reach the service as follows:
      | from           | to                      | result    |
      | client pod     | cluster IP              | answered  |
      | client pod     | worker node port        | answered  |
      | outside client | worker node port        | answered  |
      | outside client | worker2 node port       | answered  |
      | outside client | control-plane node port | answered  |
      | outside client | cluster IP              | no answer |

  @needs:outside-client @upstream:Networking-Granular-Checks-Services-should-support-basic-nodePort-udp-functionality
  Scenario: A UDP node port answers from outside the cluster on every node
    Given a deployment "udp-server" with 2 replicas of the netexec server on port 8080 and UDP port 8081
    When the deployment is exposed with a NodePort service with these ports:
      | name | port | target port | protocol |
      | udp  | 90   | 8081        | UDP      |
    Then from outside the cluster, every node's IP at the service's UDP node port is answered by the pods
