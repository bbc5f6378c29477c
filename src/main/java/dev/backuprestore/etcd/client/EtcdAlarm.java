package dev.backuprestore.etcd.client;

/**
 * An active alarm.
 *
 * @param memberId the member that raised it
 * @param type {@code NOSPACE} or {@code CORRUPT}
 */
public record EtcdAlarm(long memberId, String type) {}
