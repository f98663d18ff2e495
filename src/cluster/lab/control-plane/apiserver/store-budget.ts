// The memory the in-memory store may use: one object at most 1.5 MiB (etcd's request limit), all objects within a quota (etcd's space quota).
import { StatusError } from './status-error.ts'
import type { ResourceInfo } from './resources.ts'

/** Limits of the store's memory. */
export interface StoreBudgetLimits {
  /** Serialized size of one object. @default 1.5 MiB, as etcd's --max-request-bytes */
  maxObjectBytes?: number
  /** Serialized size of all objects together. @default 256 MiB */
  quotaBytes?: number
}

// Tracks the serialized size of every stored object and refuses writes past the limits.
export class StoreBudget {
  private readonly sizes = new Map<string, number>()
  private total = 0
  readonly maxObjectBytes: number
  readonly quotaBytes: number

  constructor(limits: StoreBudgetLimits = {}) {
    this.maxObjectBytes = limits.maxObjectBytes ?? 1.5 * 1024 * 1024
    this.quotaBytes = limits.quotaBytes ?? 256 * 1024 * 1024
  }

  /** Bytes held by all objects. */
  get usedBytes(): number {
    return this.total
  }

  // The size an object at `key` takes now (0 when absent).
  sizeOf(info: ResourceInfo, key: string): number {
    return this.sizes.get(`${info.resource}/${key}`) ?? 0
  }

  // Throws 413 when the object is too large, 507 when storing it in place of what `key` holds would pass the quota.
  check(info: ResourceInfo, key: string, name: string, bytes: number): void {
    if (bytes > this.maxObjectBytes) {
      throw new StatusError(
        413,
        'RequestEntityTooLarge',
        `${info.resource} "${name}" is ${bytes} bytes; objects are limited to ${this.maxObjectBytes} bytes`,
        { name, group: info.group, kind: info.resource },
      )
    }
    if (this.total - this.sizeOf(info, key) + bytes > this.quotaBytes) {
      throw new StatusError(
        507,
        'InsufficientStorage',
        `the lab's store is full: ${this.total} of ${this.quotaBytes} bytes used; delete objects first (etcd's "database space exceeded")`,
        { name, group: info.group, kind: info.resource },
      )
    }
  }

  // Records the size now held at `key`.
  set(info: ResourceInfo, key: string, bytes: number): void {
    this.total += bytes - this.sizeOf(info, key)
    this.sizes.set(`${info.resource}/${key}`, bytes)
  }

  // Forgets `key`.
  delete(info: ResourceInfo, key: string): void {
    this.total -= this.sizeOf(info, key)
    this.sizes.delete(`${info.resource}/${key}`)
  }
}
