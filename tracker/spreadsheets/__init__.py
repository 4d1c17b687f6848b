"""Spreadsheet files in and out: the one guarded reader of uploads, the one safe writer of downloads."""
