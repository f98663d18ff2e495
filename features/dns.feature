@area:DNS
Feature: Cluster DNS
  Every pod's resolv.conf names the cluster DNS (the kube-dns Service, 10.96.0.10), with the search path
  <namespace>.svc.cluster.local svc.cluster.local cluster.local and ndots:5, so pods find Services by name.
  On the lab that server is svcnet DNS behind svcnet's kube-proxy; the lookups are real dig and curl run in a
  pod through the exec API.

  Background:
    Given a deployment "hello" with 2 replicas of image "gcr.io/google-samples/hello-app:1.0" listening on port 8080 named "http"
    And the deployment is exposed with a ClusterIP service with these ports:
      | name | port | target port |
      | http | 80   | http        |
    And a DNS client pod

  @upstream:DNS-should-resolve-DNS-of-partial-qualified-names-for-services
  Scenario: A pod finds a Service by its short name, by name and namespace, and by its full name
    Then the DNS client pod resolves the service's short name to its cluster IP
    And the DNS client pod resolves the service's name and namespace to its cluster IP
    And the DNS client pod resolves the service's fully qualified name to its cluster IP
    And a request from the DNS client pod to the service's short name is answered by one of its pods

  @upstream:DNS-should-provide-DNS-for-services
  Scenario: A named port has an SRV record
    Then the DNS client pod finds the SRV record of port "http" over TCP: port 80 of the service

  @upstream:DNS-should-provide-DNS-for-services
  Scenario: A headless Service resolves to the IPs of its ready pods
    When a headless service "hello-headless" selects the deployment's pods on port 80 named "http"
    Then the DNS client pod resolves "hello-headless" to the IPs of all 2 pods

  @upstream:DNS-should-provide-DNS-for-ExternalName-services
  Scenario: An ExternalName Service is a CNAME, followed to the Service it names
    When an ExternalName service "alias" names the service's fully qualified name
    Then the DNS client pod resolves "alias" through a CNAME to the service's cluster IP

  Scenario: A pod in another namespace finds the Service by its name and namespace
    Given a DNS client pod in another namespace
    Then the DNS client pod resolves the service's name and namespace to its cluster IP
    And a request from the DNS client pod to the service's name and namespace is answered by one of its pods

  Scenario: A pod finds a Service created after the pod started
    When the deployment is exposed as "later" with a ClusterIP service on port 80 targeting port 8080
    Then the DNS client pod resolves the service's short name to its cluster IP
    And a request from the DNS client pod to the service's short name is answered by one of its pods

  Scenario: Once a Service is deleted, its full name is NXDOMAIN
    Given the DNS client pod resolves the service's fully qualified name to its cluster IP
    When service "hello" is deleted
    Then the DNS client pod gets NXDOMAIN for the fully qualified name of service "hello"
