@area:SessionAffinity
Feature: Session affinity
  With sessionAffinity ClientIP, kube-proxy sends every connection from one client to the same
  endpoint until the client has been quiet for the affinity timeout (3 hours unless set).

  @upstream:Services-should-have-session-affinity-work-for-service-with-type-clusterIP
  Scenario: Requests from one pod stick to one endpoint
    Given a deployment "hello" with 3 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    And a client pod
    And the deployment is exposed with a ClusterIP service on port 80 targeting port 8080
    And 20 requests from the client pod to the service reach all 3 pods
    When the service is given ClientIP session affinity
    Then 15 requests from the client pod to the service are all answered by the same pod

  @upstream:Services-should-have-session-affinity-timeout-work-for-service-with-type-clusterIP
  Scenario: Once the affinity times out, a client may move to another endpoint
    Given a deployment "hello" with 3 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    And a client pod
    And the deployment is exposed with a ClusterIP service on port 80 targeting port 8080
    And 20 requests from the client pod to the service reach all 3 pods
    When the service is given ClientIP session affinity for 2 seconds
    Then 10 requests from the client pod to the service are all answered by the same pod
    And requests from the client pod spaced more than 2 seconds apart reach more than one pod
