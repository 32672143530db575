"""Crawling Nordic public sources: Scrapy spiders, sitemaps, OAI-PMH, politeness, the crawl job."""
