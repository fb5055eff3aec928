from .campaigns import CampaignIndexPage, CampaignKind, CampaignPage
from .criteria import CriteriaIndexPage, CriteriaPage
from .media import Video
from .news import ArticleKind, ArticlePage, ArticlePageTag, NewsIndexPage
from .pages import HomePage

__all__ = [
    "ArticleKind",
    "ArticlePage",
    "ArticlePageTag",
    "CampaignIndexPage",
    "CampaignKind",
    "CampaignPage",
    "CriteriaIndexPage",
    "CriteriaPage",
    "HomePage",
    "NewsIndexPage",
    "Video",
]
