// The signed 64-bit range: PostgreSQL's int8 (every byte counter column), the int64 fields of
// BEP 15 packets, and the largest integer a .torrent may carry. One definition for all of them.
export const INT64_MAX = (1n << 63n) - 1n;
export const INT64_MIN = -(1n << 63n);
