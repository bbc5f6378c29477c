package dev.backuprestore.kube;

/** The resource's spec is invalid: retrying cannot help until the user changes it. */
public class ValidationException extends OperatorException {
  public ValidationException(String message) {
    super(message, true);
  }
}
