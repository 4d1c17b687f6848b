"""A database's rows and evidence files, taken once and put back before each test that reads the
same world (the route matrix builds one record of every kind: building it through the services
for each of its 160 routes was most of the suite's time)."""
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import select


class Snapshot:
    def __init__(self, rows: dict, files: Path, upload_folder: Path):
        self.rows, self.files, self.upload_folder = rows, files, upload_folder

    @classmethod
    def take(cls, db, app) -> "Snapshot":
        """Every row of every table (the test's data is committed) and a copy of the files."""
        rows = {}
        for table in db.metadata.sorted_tables:
            key = list(table.primary_key.columns)
            rows[table.name] = [dict(r._mapping) for r in db.session.execute(select(table).order_by(*key))]
        upload_folder = Path(app.config["UPLOAD_FOLDER"])
        files = Path(tempfile.mkdtemp(prefix="tracker-snapshot-"))
        if upload_folder.exists():
            shutil.copytree(upload_folder, files, dirs_exist_ok=True)
        return cls(rows, files, upload_folder)

    def restore(self, db) -> None:
        """Put the rows back into the empty database (parents first, each table in key order, so a
        unit's parent is in before it) and any file a test removed."""
        for table in db.metadata.sorted_tables:
            if self.rows[table.name]:
                db.session.execute(table.insert(), self.rows[table.name])
        db.session.commit()
        shutil.copytree(self.files, self.upload_folder, dirs_exist_ok=True)
