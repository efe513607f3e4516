// A tiny OCI image built here from Debian's busybox-static, for proving a prepared node really runs
// containers (`ctr images import` + `ctr run`) without any registry. Layout per the OCI image spec:
// oci-layout, index.json, blobs/sha256/{layer, config, manifest}, packed as one tar.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const BUSYBOX_IMAGE_REF = "nodeprep.test/busybox:latest";

function blob(dir: string, data: Buffer): { digest: string; size: number } {
  const hex = createHash("sha256").update(data).digest("hex");
  fs.writeFileSync(path.join(dir, "blobs", "sha256", hex), data);
  return { digest: `sha256:${hex}`, size: data.length };
}

/** Build the image archive at `out` from /bin/busybox (package busybox-static), or another arch's busybox. */
export function buildBusyboxImage(out: string, busybox = "/bin/busybox", arch: "amd64" | "arm64" = "amd64"): string {
  if (!fs.existsSync(busybox)) throw new Error(`${busybox} not found: apt-get install busybox-static`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-oci-"));
  try {
    const rootfs = path.join(work, "rootfs");
    fs.mkdirSync(path.join(rootfs, "bin"), { recursive: true });
    fs.copyFileSync(busybox, path.join(rootfs, "bin", "busybox"));
    fs.chmodSync(path.join(rootfs, "bin", "busybox"), 0o755);
    for (const applet of ["sh", "echo", "cat", "ls", "id", "sleep"]) fs.symlinkSync("busybox", path.join(rootfs, "bin", applet));
    const layerTar = path.join(work, "layer.tar");
    execFileSync("tar", ["--owner=0", "--group=0", "--numeric-owner", "--sort=name", "--mtime=@0", "-C", rootfs, "-cf", layerTar, "."]);
    const layerRaw = fs.readFileSync(layerTar);

    const oci = path.join(work, "oci");
    fs.mkdirSync(path.join(oci, "blobs", "sha256"), { recursive: true });
    const layer = blob(oci, layerRaw); // uncompressed layer: diff_id == digest
    const config = blob(
      oci,
      Buffer.from(
        JSON.stringify({
          architecture: arch,
          os: "linux",
          config: { Cmd: ["/bin/sh"], Env: ["PATH=/bin"] },
          rootfs: { type: "layers", diff_ids: [layer.digest] },
        }),
      ),
    );
    const manifest = blob(
      oci,
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
          layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", ...layer }],
        }),
      ),
    );
    fs.writeFileSync(path.join(oci, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
    fs.writeFileSync(
      path.join(oci, "index.json"),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          {
            mediaType: "application/vnd.oci.image.manifest.v1+json",
            ...manifest,
            annotations: { "io.containerd.image.name": BUSYBOX_IMAGE_REF, "org.opencontainers.image.ref.name": "latest" },
          },
        ],
      }),
    );
    execFileSync("tar", ["--owner=0", "--group=0", "-C", oci, "-cf", out, "oci-layout", "index.json", "blobs"]);
    return out;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
