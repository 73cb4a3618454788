"""Command line: ``python -m scoring catalog --json`` and ``python -m scoring summary``."""
from __future__ import annotations

import argparse
import json
import sys

from loaders.catalog import load_catalog
from scoring.catalog_export import catalog_dict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scoring", description="Danh mục và chấm điểm.")
    sub = parser.add_subparsers(dest="command", required=True)
    cat = sub.add_parser("catalog", help="xuất danh mục kế hoạch (dữ liệu mở)")
    cat.add_argument("--json", action="store_true", help="in JSON (mặc định)")
    args = parser.parse_args(argv)
    if args.command == "catalog":
        json.dump(catalog_dict(load_catalog()), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
