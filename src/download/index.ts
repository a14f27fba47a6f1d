export { downloadFile, DISK_MARGIN_BYTES, type DownloadOptions, type DownloadProgress, type DownloadResult } from './downloadFile';
export { DownloadError, type DownloadErrorCode } from './errors';
export { partialPath, sidecarPath } from './partialFile';
