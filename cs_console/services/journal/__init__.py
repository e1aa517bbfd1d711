"""The outage journal: the console's write path through a database server that went away.

``writes`` sends each write to the server, or keeps it in the journal file (``store``) while
the server is unreachable, answering provisionally (``provisional``); ``replay`` sends what
was kept, in order and exactly once, when it answers again. Both carry the operations of
one table (``ops``; what an operation is and how the journal keeps one: ``operation``);
``callbacks`` schedules the callbacks owed to those who made contact during the outage.
"""
