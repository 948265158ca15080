#!/usr/bin/env bash
# Remakes the GNU tar fixtures of TarImporterTest (run as root: devices, owners, capabilities).
# Needs GNU tar, setcap, gzip, xz and zstd. The tests need none of them.
set -euo pipefail
out="$(cd "$(dirname "$0")" && pwd)"
src="$(mktemp -d)"
trap 'rm -rf "$src"' EXIT
long="a-directory-name-that-is-long-enough-to-need-more-than-the-hundred-bytes-of-a-ustar-name-field"
mkdir -p "$src/bin" "$src/dev" "$src/etc/$long"
printf 'ping binary\n' > "$src/bin/ping"
printf 'su binary\n' > "$src/bin/su"
ln "$src/bin/su" "$src/bin/su-link"
printf 'deep\n' > "$src/etc/$long/file-with-a-long-name-too.conf"
: > "$src/etc/empty"
ln -s ../bin/su "$src/etc/su-symlink"
mknod "$src/dev/null" c 1 3
mknod "$src/dev/sda1" b 8 1
mkfifo "$src/dev/fifo"
setcap cap_setuid,cap_net_raw+ep "$src/bin/ping"
chmod 4755 "$src/bin/su"
chmod 1777 "$src/etc"
chown 3000000:2200000 "$src/etc/empty"
chown -h 7:8 "$src/etc/su-symlink"
find "$src" -exec touch -h -d '2023-11-14 22:13:20.123456789 UTC' {} +
cd "$src"
tar --format=pax --xattrs --xattrs-include='security.capability' --numeric-owner \
    --pax-option=delete=atime,delete=ctime --sort=name -cf "$out/gnu-pax.tar" .
tar --format=gnu --numeric-owner --sort=name -cf "$out/gnu-gnu.tar" .
gzip -9 -n -c "$out/gnu-pax.tar" > "$out/gnu-pax.tar.gz"
xz -9 -c "$out/gnu-pax.tar" > "$out/gnu-pax.tar.xz"
zstd -q -19 -c "$out/gnu-pax.tar" > "$out/gnu-pax.tar.zst"
gzip -9 -n -c "$out/gnu-gnu.tar" > "$out/gnu-gnu.tgz"
rm "$out/gnu-pax.tar" "$out/gnu-gnu.tar"
