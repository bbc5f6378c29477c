package dev.backuprestore.cli;

import dev.backuprestore.api.v1.ClientConfig;
import dev.backuprestore.api.v1.S3ObjectStore;
import picocli.CommandLine.Option;

/**
 * The S3 options every command that reads archives or snapshots shares: the fields of a Backup's
 * {@code storageLocation.s3} except the credentials, which each tool takes its own way ({@code
 * kubectl bro} from a Secret in the cluster, {@code etcd-restore} directly, since the cluster's
 * Secrets are out of reach while etcd is down). One mixin, so the two tools spell every flag alike.
 */
public final class S3EndpointOptions {
  @Option(names = "--s3-bucket", paramLabel = "BUCKET", description = "S3 bucketName.")
  String bucket;

  @Option(names = "--s3-folder", paramLabel = "FOLDER", description = "Folder inside the bucket.")
  String folder;

  @Option(
      names = "--s3-endpoint",
      paramLabel = "HOST[:PORT]",
      description = "S3 endpoint; default AWS.")
  String endpoint;

  @Option(names = "--s3-region", paramLabel = "REGION", description = "Region of the bucket.")
  String region;

  @Option(
      names = "--s3-endpoint-ca",
      paramLabel = "CA",
      description = "endpointCA: CA certificates of the endpoint, a PEM file or base64 of PEM.")
  String endpointCa;

  // Both spellings: kubectl bro had the first (the field's name), etcd-restore the second.
  @Option(
      names = {"--s3-insecure-tls-skip-verify", "--s3-insecure-skip-tls-verify"},
      description = "insecureTLSSkipVerify: accept any server certificate.")
  boolean insecureTlsSkipVerify;

  @Option(
      names = "--s3-bucket-lookup",
      paramLabel = "auto|dns|path",
      description = "clientConfig.bucketLookup: virtual-host (dns) or path-style; default auto.")
  String bucketLookup;

  @Option(
      names = "--s3-plain-http",
      description = "Plain HTTP to the endpoint (development only, like CATTLE_DEV_MODE).")
  boolean plainHttp;

  public String bucket() {
    return bucket;
  }

  public boolean hasBucket() {
    return bucket != null && !bucket.isBlank();
  }

  public String folder() {
    return folder;
  }

  public String endpoint() {
    return endpoint;
  }

  public String region() {
    return region;
  }

  public String endpointCa() {
    return endpointCa;
  }

  public boolean insecureTlsSkipVerify() {
    return insecureTlsSkipVerify;
  }

  public String bucketLookup() {
    return bucketLookup;
  }

  public boolean plainHttp() {
    return plainHttp;
  }

  /** Fills in what the command line left out, e.g. from a resource that records the location. */
  public void defaultEndpointAndRegion(String endpoint, String region) {
    if (this.endpoint == null) {
      this.endpoint = endpoint;
    }
    if (this.region == null) {
      this.region = region;
    }
  }

  /** The options as a Backup's {@code storageLocation.s3}, without credentials. */
  public S3ObjectStore objectStore() {
    S3ObjectStore s3 = new S3ObjectStore();
    s3.setBucketName(bucket);
    s3.setFolder(folder);
    s3.setEndpoint(endpoint);
    s3.setRegion(region);
    s3.setEndpointCA(endpointCa);
    s3.setInsecureTLSSkipVerify(insecureTlsSkipVerify);
    if (bucketLookup != null) {
      ClientConfig clientConfig = new ClientConfig();
      clientConfig.setBucketLookup(bucketLookup);
      s3.setClientConfig(clientConfig);
    }
    return s3;
  }
}
