@area:iptables @needs:node-access
Feature: kube-proxy's iptables rules
  svcnet's kube-proxy programs the same chains as upstream's iptables mode, so a node's
  iptables-save reads like one from a stock cluster. These scenarios read the rules themselves;
  the other features check behaviour.

  Scenario: A node port jumps to the service's external chain, which spreads over the endpoints
    Given a deployment "hello-world" with 2 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    When the deployment is exposed with a NodePort service on port 80 targeting port 8080 with node port 32235
    Then node worker has a KUBE-NODEPORTS rule for tcp port 32235 that jumps to the service's KUBE-EXT chain
    And the service's KUBE-SVC chain sends to 2 endpoints with probabilities 0.5000000000 and then the rest

  Scenario Outline: The service's chain picks each of <endpoints> endpoints with equal chance
    Given a deployment "hello" with <endpoints> replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    When the deployment is exposed with a ClusterIP service on port 80 targeting port 8080
    Then the service's KUBE-SVC chain sends to <endpoints> endpoints with probabilities <probabilities> and then the rest

    Examples:
      | endpoints | probabilities                            |
      | 3         | 0.3333333333, 0.5000000000               |
      | 4         | 0.2500000000, 0.3333333333, 0.5000000000 |

  Scenario: The endpoint chains follow the deployment as it scales
    Given a deployment "hello" with 2 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    And the deployment is exposed with a ClusterIP service on port 80 targeting port 8080
    When the deployment is scaled to 5 replicas
    Then the service's KUBE-SVC chain sends to 5 endpoints with probabilities 0.2000000000, 0.2500000000, 0.3333333333, 0.5000000000 and then the rest
    When the deployment is scaled to 2 replicas
    Then the service's KUBE-SVC chain sends to 2 endpoints with probabilities 0.5000000000 and then the rest

  Scenario: Traffic from outside the cluster is marked for masquerading
    Given a deployment "hello-world" with 1 replica of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    When the deployment is exposed with a NodePort service on port 80 targeting port 8080
    Then the service's KUBE-SVC chain on node worker marks traffic from outside the pod network for masquerade
    And the service's KUBE-EXT chain on node worker marks all its traffic for masquerade

  Scenario: Every chain of a service is gone once the service is deleted
    Given a deployment "hello-world" with 2 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080
    And the deployment is exposed with a NodePort service on port 80 targeting port 8080
    And the service's KUBE-SVC chain sends to 2 endpoints with probabilities 0.5000000000 and then the rest
    When service "hello-world" is deleted
    Then no node has a rule or chain of the service any more
