package dev.backuprestore.etcd;

import dev.backuprestore.kube.OperatorException;

/**
 * Base of the etcd package's typed exceptions: the message names the member, file or entry and the
 * reason, and never holds key material.
 */
public class EtcdException extends OperatorException {
  public EtcdException(String message, boolean permanent) {
    super(message, permanent);
  }

  public EtcdException(String message, boolean permanent, Throwable cause) {
    super(message, permanent, cause);
  }
}
