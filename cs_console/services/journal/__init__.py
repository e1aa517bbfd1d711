"""The outage journal: the console's write path through a database server that went away.

``writes`` sends each write to the server, or keeps it in the journal file (``store``) while
the server is unreachable; ``replay`` sends what was kept, in order and exactly once, when
it answers again; ``ops`` is the table of the operations either can carry; ``callbacks``
schedules the callbacks owed to the customers who made contact during the outage.
"""
