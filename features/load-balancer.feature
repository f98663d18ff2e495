@area:LoadBalancer @needs:load-balancer @needs:outside-client
Feature: LoadBalancer Service
  A LoadBalancer Service gets an ingress IP from the cluster's load-balancer implementation, and
  kube-proxy sends traffic for it to the Service's endpoints; with loadBalancerSourceRanges, only from
  those sources (the node ports stay open, as upstream).

  Scenario: A LoadBalancer service answers on its ingress IP from outside the cluster
    Given a deployment "hello-world" with 2 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    When the deployment is exposed with a LoadBalancer service on port 80 targeting port 8080
    Then the service gets a node port between 30000 and 32767
    And from outside the cluster, the service's load-balancer IP at port 80 answers "Hello, world!" from one of the pods

  @upstream:LoadBalancers-should-only-allow-access-from-service-loadbalancer-source-ranges
  Scenario: Only clients in the service's source ranges reach its load-balancer IP
    Given a deployment "hello-world" with 1 replica of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    And the deployment is exposed with a LoadBalancer service on port 80 targeting port 8080
    When the service's load-balancer source ranges are the outside client's address
    Then from outside the cluster, the service's load-balancer IP at port 80 answers "Hello, world!" from one of the pods
    When the service's load-balancer source ranges are 192.0.2.0/24
    Then requests reach the service as follows:
      | from           | to               | result    |
      | outside client | load-balancer IP | no answer |
      | outside client | worker node port | answered  |
