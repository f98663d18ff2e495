@area:Discovery
Feature: Service discovery through environment variables
  kubelet gives every container variables for the Services of its namespace that existed when
  the container started (FOO_SERVICE_HOST, FOO_SERVICE_PORT and the Docker-links FOO_PORT_* set),
  plus those of the kubernetes Service. They are read with `env` in the client pod through the
  Kubernetes exec API.

  @upstream:Pods-should-contain-environment-variables-for-services
  Scenario: A pod created after a service has its variables, for every named port
    Given a ClusterIP service "fooservice" with cluster IP 10.96.123.45 and these ports:
      | name  | port |
      | http  | 8765 |
      | admin | 8766 |
    And a ClusterIP service "elsewhere" on port 80 in another namespace
    And a client pod
    Then the client pod's environment has these variables:
      | FOOSERVICE_SERVICE_HOST        | 10.96.123.45            |
      | FOOSERVICE_SERVICE_PORT        | 8765                    |
      | FOOSERVICE_SERVICE_PORT_HTTP   | 8765                    |
      | FOOSERVICE_SERVICE_PORT_ADMIN  | 8766                    |
      | FOOSERVICE_PORT                | tcp://10.96.123.45:8765 |
      | FOOSERVICE_PORT_8765_TCP       | tcp://10.96.123.45:8765 |
      | FOOSERVICE_PORT_8765_TCP_PROTO | tcp                     |
      | FOOSERVICE_PORT_8765_TCP_PORT  | 8765                    |
      | FOOSERVICE_PORT_8765_TCP_ADDR  | 10.96.123.45            |
      | FOOSERVICE_PORT_8766_TCP       | tcp://10.96.123.45:8766 |
      | FOOSERVICE_PORT_8766_TCP_ADDR  | 10.96.123.45            |
    And the client pod's environment describes only the services "fooservice" and "kubernetes"

  Scenario: A pod created before a service does not have its variables
    Given a client pod
    And a ClusterIP service "lateservice" with cluster IP 10.96.123.46 and these ports:
      | name | port |
      | http | 80   |
    Then the client pod's environment has no variables for service "lateservice"

  Scenario: A pod without service links has only the kubernetes service's variables
    Given a ClusterIP service "fooservice" with cluster IP 10.96.123.47 and these ports:
      | name | port |
      | http | 80   |
    And a client pod without service links
    Then the client pod's environment has no variables for service "fooservice"
    And the client pod's environment has these variables:
      | KUBERNETES_SERVICE_HOST | 10.96.0.1 |
      | KUBERNETES_SERVICE_PORT | 443       |
