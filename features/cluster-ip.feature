@area:ClusterIP
Feature: ClusterIP Service
  A Service gets a virtual IP inside the cluster. Pods reach every ready endpoint through it,
  with real curl (nc for UDP, sending agnhost netexec's `hostname` request) run in a client pod through the
  Kubernetes exec API.

  @upstream:Networking-Granular-Checks-Services-should-function-for-pod-Service-http
  Scenario: A pod reaches every endpoint through the cluster IP
    Given a deployment "hello" with 3 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    And a client pod
    When the deployment is exposed with a ClusterIP service on port 80 targeting port 8080
    Then 30 requests from the client pod to the service reach all 3 pods

  @upstream:Services-should-work-after-the-service-has-been-recreated
  Scenario: A service deleted and created again under the same name serves again
    Given a deployment "hello" with 2 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    And a client pod
    And the deployment is exposed with a ClusterIP service on port 80 targeting port 8080
    When service "hello" is deleted
    And the deployment is exposed with a ClusterIP service on port 80 targeting port 8080
    Then 20 requests from the client pod to the service reach all 2 pods

  @upstream:Networking-Granular-Checks-Services-should-function-for-multiple-endpoint-Services-with-same-selector
  Scenario: Two services select the same pods; deleting one leaves the other working
    Given a deployment "hello" with 2 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    And a client pod
    When the deployment is exposed as "first" with a ClusterIP service on port 80 targeting port 8080
    And the deployment is exposed as "second" with a ClusterIP service on port 81 targeting port 8080
    Then 20 requests from the client pod to service "first" reach all 2 pods
    And 20 requests from the client pod to service "second" reach all 2 pods
    When service "first" is deleted
    Then 20 requests from the client pod to service "second" reach all 2 pods

  Scenario: The service's port differs from the container's port, which it names
    Given a deployment "hello" with 2 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080 named "http"
    And a client pod
    When the deployment is exposed with a ClusterIP service on port 80 targeting the container port named "http"
    Then 20 requests from the client pod to the service reach all 2 pods

  @upstream:Services-should-allow-pods-to-hairpin-back-to-themselves-through-services
  Scenario: A pod reaches itself through its own service
    Given a deployment "hello" with 1 replica of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    When the deployment is exposed with a ClusterIP service on port 80 targeting port 8080
    Then the deployment's pod reaches itself through the service

  @upstream:Services-should-be-rejected-when-no-endpoints-exist
  Scenario: A service without endpoints refuses connections at once
    Given a ClusterIP service "empty" on port 80 that selects no pods
    And a client pod
    Then a request from the client pod to service "empty" is refused at once

  @upstream:Networking-Granular-Checks-Services-should-function-for-pod-Service-udp
  Scenario: A pod reaches every endpoint of a UDP service through the cluster IP
    Given a deployment "udp-server" with 2 replicas of the netexec server on port 8080 and UDP port 8081
    And a UDP client pod
    When the deployment is exposed with a ClusterIP service with these ports:
      | name | port | target port | protocol |
      | udp  | 90   | 8081        | UDP      |
    Then 10 UDP requests from the UDP client pod to the service reach all 2 pods
