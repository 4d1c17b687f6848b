"""Pagination of selects whose rows are tuples of columns (db.paginate returns scalars only)."""
from flask_sqlalchemy.pagination import SelectPagination

from tracker.extensions import db


class RowPagination(SelectPagination):
    def _query_items(self) -> list:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select).all())


def paginate_rows(select, per_page: int = 25) -> RowPagination:
    """Like db.paginate (page from the request's ?page=), with whole rows as items."""
    return RowPagination(select=select, session=db.session(), per_page=per_page, error_out=False)
