"""Vendor Decap CMS's browser bundle into theme/admin/decap-cms/ (served as site/admin/).

    python scripts/vendor_decap.py [VERSION]

Runs `npm pack decap-cms@VERSION` (the registry's tarball, checked by npm against its
integrity hash), keeps the minified bundle, its lazily loaded chunks and WebAssembly files
and the bundle's third-party licence notices, and writes SOURCE.txt (version, tarball URL,
integrity) and LICENSE (Decap's MIT licence) beside them. Source maps and the duplicate
`cms.js` build are left out. Needs node and npm; the site build never does.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "3.16.3"
TARGET = Path(__file__).resolve().parent.parent / "theme" / "admin" / "decap-cms"
#: Decap's own licence (the npm tarball carries none; this is the repository's LICENSE).
LICENSE = """\
Copyright (c) 2016 Netlify <decap@p-m.si>

MIT License

Permission is hereby granted, free of charge, to any person obtaining
a copy of this software and associated documentation files (the
"Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to
permit persons to whom the Software is furnished to do so, subject to
the following conditions:

The above copyright notice and this permission notice shall be
included in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE
LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION
OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION
WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def wanted(name: str) -> bool:
    """The files of dist/ the browser loads (and the bundle's licence notices)."""
    if name.endswith(".map") or name == "cms.js" or name.endswith(".cms.js"):
        return False
    return name.endswith((".decap-cms.js", ".wasm")) or name in (
        "decap-cms.js",
        "decap-cms.js.LICENSE.txt",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("version", nargs="?", default=VERSION)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        packed = subprocess.run(
            ["npm", "pack", "--json", f"decap-cms@{args.version}"],
            cwd=tmp,
            check=True,
            capture_output=True,
            text=True,
        )
        info = json.loads(packed.stdout)[0]
        with tarfile.open(Path(tmp) / info["filename"]) as tar:
            tar.extractall(tmp, filter="data")
        dist = Path(tmp) / "package" / "dist"
        if TARGET.exists():
            shutil.rmtree(TARGET)
        TARGET.mkdir(parents=True)
        names = sorted(p.name for p in dist.iterdir() if wanted(p.name))
        for name in names:
            shutil.copyfile(dist / name, TARGET / name)
        (TARGET / "LICENSE").write_text(LICENSE, encoding="utf-8")
        (TARGET / "SOURCE.txt").write_text(
            f"Decap CMS {info['version']} (MIT licence: LICENSE; bundled libraries' notices:\n"
            "decap-cms.js.LICENSE.txt), the browser bundle of the npm package decap-cms,\n"
            "vendored by scripts/vendor_decap.py. Source maps are left out.\n"
            f"tarball: https://registry.npmjs.org/decap-cms/-/{info['filename']}\n"
            f"integrity: {info['integrity']}\n"
            "source: https://github.com/decaporg/decap-cms\n",
            encoding="utf-8",
        )
    size = sum(p.stat().st_size for p in TARGET.iterdir())
    print(f"decap-cms {args.version}: {len(names)} files, {size / 1e6:.1f} MB in {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
