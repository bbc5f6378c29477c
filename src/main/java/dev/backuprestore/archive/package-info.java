/**
 * The backup archive format, version 1 (Rancher's): a single-member gzip of a tar whose entries are
 * {@code <plural>.<group>#<version>/[<namespace>/]<name>.json} plus {@code filters/filters.json}.
 * {@link dev.backuprestore.archive.ArchiveLayout} owns the entry paths, {@link
 * dev.backuprestore.archive.TarGzArchiveWriter} and {@link
 * dev.backuprestore.archive.TarGzArchiveReader} stream archives, {@link
 * dev.backuprestore.archive.BackupFileName} owns file names. The written specification is {@code
 * docs/archive-format.md}.
 */
package dev.backuprestore.archive;
