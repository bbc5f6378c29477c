package dev.backuprestore.config;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** A Secret's values as text: {@code data} decoded from base64, {@code stringData} on top. */
public final class SecretData {
  private SecretData() {}

  public static Map<String, String> decoded(Secret secret) {
    Map<String, String> result = new HashMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (key, value) ->
                  result.put(
                      key,
                      new String(Base64.getMimeDecoder().decode(value), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      result.putAll(secret.getStringData());
    }
    return result;
  }
}
