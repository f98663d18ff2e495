@area:ExternalIPs
Feature: Service external IPs
  A Service's externalIPs are addresses the cluster does not own but routes to the nodes; kube-proxy
  sends traffic for them to the Service's endpoints. On the lab, the outside client routes
  172.18.255.192/26 through the first worker.

  @needs:outside-client
  Scenario: A service answers on its external IP from outside the cluster
    Given a deployment "hello-world" with 2 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    And the deployment is exposed with a ClusterIP service on port 80 targeting port 8080
    When the service is given the external IP 172.18.255.251
    Then from outside the cluster, 172.18.255.251 at port 80 answers "Hello, world!" from one of the pods
