package dev.backuprestore.api.v1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** S3 client settings that only apply to AWS endpoints. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class AwsConfig {
  @Required
  @Default("true")
  @JsonPropertyDescription("Use the AWS dual-stack (IPv4 and IPv6) endpoints; true by default.")
  private Boolean dualStack;

  public Boolean getDualStack() {
    return dualStack;
  }

  public void setDualStack(Boolean dualStack) {
    this.dualStack = dualStack;
  }

  /** The schema default: unset means dual-stack on. */
  @JsonIgnore
  public boolean isDualStackEffective() {
    return dualStack == null || dualStack;
  }
}
