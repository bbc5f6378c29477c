# syntax=docker/dockerfile:1
# The operator image: the runnable jar (target/backup-restore-operator.jar, dependencies in target/lib)
# on a JRE 17, running as the non-root user 1000, as Rancher's image does. Unlike Rancher's image it has
# no /encryption directory: encryption keys are read from their Secret and never written to disk.
#   docker build --build-arg VERSION=1.2.3 -t backup-restore-operator:1.2.3 .
# With the jar already built on the host (./mvnw package), the target "prebuilt" takes it from target/
# instead of building it, so the image build needs no network (scripts/e2e-node.sh builds it so):
#   docker build --target prebuilt -t backup-restore-operator:dev .
# etcdutl comes prebuilt from the host too: scripts/etcdutl-for-image.sh before the build.

ARG BUILD_IMAGE=eclipse-temurin:17-jdk
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY src src
# Empty: keep the pom's version. Otherwise the jar (and --version) reports this one.
ARG VERSION=""
RUN --mount=type=cache,target=/root/.m2 \
    if [ -n "$VERSION" ]; then \
      ./mvnw -B -ntp org.codehaus.mojo:versions-maven-plugin:2.18.0:set \
        -DnewVersion="$VERSION" -DgenerateBackupPoms=false; \
    fi && \
    ./mvnw -B -ntp -DskipTests package

FROM ${RUNTIME_IMAGE} AS runtime
ARG VERSION=""
LABEL org.opencontainers.image.title="backup-restore-operator" \
      org.opencontainers.image.description="Backs up and restores Kubernetes resources; a drop-in replacement for Rancher Backups" \
      org.opencontainers.image.source="https://github.com/backup-restore-operator/backup-restore-operator" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}"

# User and group 1000 ("bro"), as in Rancher's image: the chart's runAsUser, runAsGroup and fsGroup.
# Ubuntu-based JRE images ship a user "ubuntu" with uid 1000; it makes way for ours.
RUN if id -u ubuntu >/dev/null 2>&1; then userdel --remove ubuntu; fi && \
    if getent group ubuntu >/dev/null; then groupdel ubuntu; fi && \
    groupadd --gid 1000 bro && \
    useradd --uid 1000 --gid 1000 --home-dir /home/bro --create-home --shell /usr/sbin/nologin bro

COPY LICENSE /app/LICENSE
# The archive toolkit, on PATH: kubectl exec deploy/backup-restore-operator -- kubectl-bro verify ...
COPY --chmod=0755 bin/kubectl-bro /app/bin/kubectl-bro
RUN ln -s /app/bin/kubectl-bro /usr/local/bin/kubectl-bro
# etcdutl for `etcd-restore` (etcd's own restore logic, v3.6.x): prebuilt by scripts/etcdutl-for-image.sh into
# target/image/linux-<arch>/ from the Go module proxy, so this build needs no network.
ARG TARGETARCH
COPY --chmod=0755 target/image/linux-${TARGETARCH}/etcdutl /usr/local/bin/etcdutl

USER 1000:1000
WORKDIR /home/bro
# Prometheus metrics (METRICS_SERVER).
EXPOSE 8080
# The heap follows the container's memory limit; an out-of-memory error restarts the pod instead of
# leaving a half-working operator; no perf data file, so a read-only root filesystem is fine. The
# serial collector is what the JVM picks by itself under the chart's 1Gi limit; named here so that a
# larger limit does not switch to G1, which costs more CPU per restored object (docs/benchmarks.md,
# "How much CPU does the operator spend per restored object").
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-jar", "/app/backup-restore-operator.jar"]

# The jar and its dependencies built on the host (target/ must be in the build context).
FROM runtime AS prebuilt
COPY target/lib/ /app/lib/
COPY target/backup-restore-operator.jar /app/backup-restore-operator.jar

# The default: the jar built in the build stage above.
FROM runtime
COPY --from=build /src/target/lib/ /app/lib/
COPY --from=build /src/target/backup-restore-operator.jar /app/backup-restore-operator.jar
