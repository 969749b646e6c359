"""The workbench: `appealable serve`, a local web page and HTTP JSON API over the same engine as the CLI."""
