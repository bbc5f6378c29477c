package dev.backuprestore.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the CR's {@code endpoint}, {@code region}, {@code bucketLookup} and {@code dualStack} into
 * SDK client settings, following minio-go's behaviour that Rancher users rely on.
 *
 * <p>A standard AWS S3 host ({@code s3.amazonaws.com}, {@code s3.<region>.amazonaws.com}, {@code
 * s3-<region>.amazonaws.com}, {@code s3.dualstack.<region>.amazonaws.com}, China {@code .com.cn})
 * is not used as an endpoint override: the SDK derives the endpoint from the region, which is what
 * makes dual-stack and virtual-host addressing work. Any other host (MinIO, Ceph, GCS, AWS VPC or
 * FIPS endpoints) becomes an override, where dual-stack does not apply.
 */
final class S3Endpoints {
  static final String AWS_GLOBAL_HOST = "s3.amazonaws.com";
  static final String DEFAULT_REGION = "us-east-1";

  private static final Pattern STANDARD_AWS_HOST =
      Pattern.compile("s3(?:[.-]dualstack)?(?:[.-]([a-z0-9-]+))?\\.amazonaws\\.com(?:\\.cn)?");
  private static final String GOOGLE_HOST = "storage.googleapis.com";

  /**
   * The client settings.
   *
   * @param endpointOverride null to let the SDK pick the AWS endpoint from the region
   * @param crossRegionAccess follow the bucket to its region (the region was not known)
   * @param listV1 use ListObjects V1 (Google Cloud Storage's S3 API lacks V2)
   */
  record Resolved(
      URI endpointOverride,
      String region,
      boolean pathStyle,
      boolean dualStack,
      boolean crossRegionAccess,
      boolean listV1) {}

  private S3Endpoints() {}

  static Resolved resolve(S3Location location) {
    String endpoint = location.endpoint().isEmpty() ? AWS_GLOBAL_HOST : location.endpoint();
    URI uri = parse(endpoint, location.useHttps());
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    boolean google = host.equals(GOOGLE_HOST);
    BucketLookup lookup = effectiveLookup(location.bucketLookup(), endpoint);

    Matcher aws = STANDARD_AWS_HOST.matcher(host);
    if (aws.matches() && uri.getPort() == -1 && location.useHttps()) {
      String hostRegion = awsRegionOf(aws.group(1));
      String region = !location.region().isEmpty() ? location.region() : hostRegion;
      boolean regionKnown = region != null;
      return new Resolved(
          null,
          regionKnown ? region : DEFAULT_REGION,
          lookup == BucketLookup.PATH,
          location.dualStack(),
          !regionKnown,
          false);
    }
    boolean pathStyle =
        switch (lookup) {
          case PATH -> true;
          case DNS -> false;
          case AUTO ->
              !(google || host.endsWith(".amazonaws.com") || host.endsWith(".amazonaws.com.cn"));
        };
    String region = location.region().isEmpty() ? DEFAULT_REGION : location.region();
    return new Resolved(uri, region, pathStyle, false, false, google);
  }

  /** Rancher: the configured value, else {@code dns} for endpoints containing "aliyun". */
  static BucketLookup effectiveLookup(BucketLookup configured, String endpoint) {
    if (configured != null) {
      return configured;
    }
    return endpoint.toLowerCase(Locale.ROOT).contains("aliyun")
        ? BucketLookup.DNS
        : BucketLookup.AUTO;
  }

  private static URI parse(String endpoint, boolean https) {
    if (endpoint.contains("://")) {
      throw StorageException.permanent(
          "s3 endpoint ["
              + endpoint
              + "] must be host[:port] without a scheme: HTTPS is always used (plain HTTP only in"
              + " dev mode)");
    }
    try {
      URI uri = new URI((https ? "https://" : "http://") + endpoint);
      boolean hostOnly =
          uri.getHost() != null
              && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
              && uri.getRawQuery() == null
              && uri.getRawUserInfo() == null
              && uri.getRawFragment() == null;
      if (hostOnly) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw StorageException.permanent(
        "s3 endpoint [" + endpoint + "] is not a valid host[:port] (no scheme, no path)");
  }

  /** The region named in a standard AWS host, or null for the global endpoint. */
  private static String awsRegionOf(String hostPart) {
    if (hostPart == null) {
      return null;
    }
    if (hostPart.equals("external-1")) {
      return DEFAULT_REGION; // legacy s3-external-1.amazonaws.com
    }
    return hostPart;
  }
}
