from .campaigns import CampaignIndexPage, CampaignKind, CampaignPage, PublicityDate, PublicityTheme
from .courses import CourseIndexPage, CoursePage, LessonPage
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
    "CourseIndexPage",
    "CoursePage",
    "CriteriaIndexPage",
    "CriteriaPage",
    "HomePage",
    "LessonPage",
    "NewsIndexPage",
    "PublicityDate",
    "PublicityTheme",
    "Video",
]
