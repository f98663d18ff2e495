@area:PortForward
Feature: kubectl port-forward
  `kubectl port-forward svc/NAME LOCAL:REMOTE` picks a pod of the Service and forwards a port on
  this machine's loopback to it, through the API server.

  Scenario: A service's page is served on localhost through kubectl port-forward
    Given a deployment "hello-world" with 1 replica of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    And the deployment is exposed with a ClusterIP service on port 80 targeting port 8080
    When kubectl port-forwards local port 38080 to port 80 of service "hello-world"
    Then localhost port 38080 answers "Hello, world!" from one of the pods
