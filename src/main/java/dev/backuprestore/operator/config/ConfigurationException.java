package dev.backuprestore.operator.config;

/** Invalid operator configuration: the process prints the message on one line and exits. */
public class ConfigurationException extends RuntimeException {
  public ConfigurationException(String message) {
    super(message);
  }
}
