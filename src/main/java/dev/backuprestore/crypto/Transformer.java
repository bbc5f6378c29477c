package dev.backuprestore.crypto;

import java.security.GeneralSecurityException;

/**
 * The API server's storage transformer for one resource: {@code TransformToStorage} and {@code
 * TransformFromStorage} from {@code k8s.io/apiserver/pkg/storage/value}. The output of {@link
 * #encrypt} carries the {@code k8s:enc:<provider>:v1:<key>:} prefix, exactly as stored in etcd.
 *
 * <p>The authenticated data is only used by AES-GCM. The API server passes the etcd key (for
 * example {@code /registry/secrets/default/foo}); Rancher Backups passes {@code <name>} or {@code
 * <namespace>#<name>}.
 */
public interface Transformer {
  /** Returns {@code prefix || payload}, or the plaintext itself for identity. */
  byte[] encrypt(byte[] plaintext, byte[] authenticatedData);

  /**
   * Reverses {@link #encrypt}, trying every key whose prefix matches.
   *
   * @throws GeneralSecurityException when no key matches or authentication fails; the message never
   *     contains key material
   */
  byte[] decrypt(byte[] stored, byte[] authenticatedData) throws GeneralSecurityException;
}
