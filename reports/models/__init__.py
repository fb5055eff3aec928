from .targets import ExemplaryEnterprise, ScopeKind, Target

__all__ = ["ExemplaryEnterprise", "ScopeKind", "Target"]
