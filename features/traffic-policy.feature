@area:TrafficPolicy @needs:two-workers
Feature: Traffic policies
  internalTrafficPolicy Local keeps traffic from pods on the node it starts on: a pod reaches the
  Service only through an endpoint on its own node, and gets no answer on a node without one.

  @upstream:Services-should-respect-internalTrafficPolicy-Local-Pod-to-Pod
  Scenario: With internal traffic policy Local, a pod on the endpoint's node reaches it
    Given a deployment "hello" with 1 replica of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    And a client pod on the node of the deployment's pod
    And the deployment is exposed with a ClusterIP service on port 80 targeting port 8080
    When the service's internal traffic policy is Local
    Then a request from the client pod to the service is answered by one of its pods

  @upstream:Services-should-respect-internalTrafficPolicy-Local-Pod-to-Pod
  Scenario: With internal traffic policy Local, a pod on another node gets no answer
    Given a deployment "hello" with 1 replica of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    And a client pod on a node without the deployment's pods
    And the deployment is exposed with a ClusterIP service on port 80 targeting port 8080
    And a request from the client pod to the service is answered by one of its pods
    When the service's internal traffic policy is Local
    Then 3 requests from the client pod to the service get no answer
