@area:Scaling
Feature: Scaling a deployment behind a service
  Endpoints follow the pods as a deployment scales or loses a pod, and kube-proxy follows the
  endpoints, so a client that keeps requesting the service never notices.

  Scenario: Scaling up to 5 and down to 1 while a client keeps requesting
    Given a deployment "hello" with 2 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080 that keeps serving for 3 seconds after it is deleted
    And a client pod
    And the deployment is exposed with a ClusterIP service on port 80 targeting port 8080
    And 10 requests from the client pod to the service reach all 2 pods
    When the client pod keeps requesting the service in the background
    And the deployment is scaled to 5 replicas
    Then 40 requests from the client pod to the service reach all 5 pods
    When the deployment is scaled to 1 replica
    Then 5 requests from the client pod to the service reach all 1 pods
    And none of the background client's requests failed

  @upstream:Networking-Granular-Checks-Services-should-update-endpoints-http
  Scenario: Deleting a pod moves its traffic to the replacement
    Given a deployment "hello" with 2 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    And a client pod
    And the deployment is exposed with a ClusterIP service on port 80 targeting port 8080
    And 10 requests from the client pod to the service reach all 2 pods
    When one of the deployment's pods is deleted
    Then 20 requests from the client pod to the service reach all 2 pods
