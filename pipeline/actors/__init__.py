"""Actors: find who acts in an article and resolve each mention to one canonical actor with its role on the date.

``ActorDictionary.load()`` reads data/actors/*.yaml (and users' files); ``match_aliases`` finds dictionary
aliases in raw text fast; ``find_actors`` resolves every mention of a parsed Doc.
"""

from pipeline.actors.dictionary import ActorDictionary, DictionaryError
from pipeline.actors.matcher import match_aliases
from pipeline.actors.mentions import find_actors
from pipeline.actors.records import Actor, ActorMention, AliasMatch, Role

__all__ = ["Actor", "ActorDictionary", "ActorMention", "AliasMatch", "DictionaryError", "Role", "find_actors", "match_aliases"]
