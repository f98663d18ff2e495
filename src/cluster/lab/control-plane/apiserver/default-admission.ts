// The admission a lab API server runs by default: Services, Pods and apps/v1 workloads.
import type { Admission } from './admission.ts'
import { podAdmission } from './pod-admission.ts'
import { serviceAdmission, type ServiceAdmissionOptions } from './service-admission.ts'
import { workloadAdmission } from './workload-admission.ts'

// Builds the default admission chain; service options set the ClusterIP CIDR and the node port range.
export function defaultAdmission(opts: ServiceAdmissionOptions = {}): Admission {
  return {
    services: serviceAdmission(opts),
    pods: podAdmission(),
    deployments: workloadAdmission('Deployment'),
    replicasets: workloadAdmission('ReplicaSet'),
    daemonsets: workloadAdmission('DaemonSet'),
  }
}
