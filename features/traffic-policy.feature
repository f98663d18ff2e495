@area:TrafficPolicy @needs:two-workers
Feature: Traffic policies
  internalTrafficPolicy Local keeps traffic from pods on the node it starts on: a pod reaches the
  Service only through an endpoint on its own node, and gets no answer on a node without one.
  externalTrafficPolicy Local does the same for traffic from outside, which keeps the client's own
  address (Cluster masquerades it), and a health check node port tells load balancers which nodes
  have an endpoint. The backend is agnhost netexec, whose /clientip says who it saw.

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

  @needs:outside-client
  Scenario: With external traffic policy Cluster, a node port forwards to other nodes and hides the client's address
    Given a deployment "netexec" with 1 replica of the netexec server on port 8080
    When the deployment is exposed with a NodePort service on port 80 targeting port 8080
    Then through a node without the deployment's pods, the pod sees a masqueraded address

  @needs:outside-client @needs:load-balancer
  Scenario: With external traffic policy Local, the pod sees the client's address and other nodes drop
    Given a deployment "netexec" with 1 replica of the netexec server on port 8080
    And the deployment is exposed with a LoadBalancer service on port 80 targeting port 8080
    When the service's external traffic policy is Local
    Then through the node of the deployment's pod, the pod sees the outside client's own address
    And the node port of a node without the deployment's pods gets no answer from outside the cluster
    And the service's health check node port answers 200 on the pod's node and 503 on another node
