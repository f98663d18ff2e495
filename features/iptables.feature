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
