<?xml version="1.0" encoding="UTF-8"?>
<!-- Shows an RSS feed as a readable page when a browser opens it (issue 4).
     Feed readers ignore it. XSLT 1.0: the version browsers run. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    exclude-result-prefixes="atom dc">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>
  <xsl:template match="/rss/channel">
    <html lang="{language}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="title"/> (RSS feed)</title>
        <style>
          body { font: 1rem/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
          .sn-feed-note { background: #e0f2f1; border-radius: .3rem; padding: .75rem 1rem; }
          .sn-feed-note code { word-break: break-all; }
          li { margin: 0 0 1.25rem; }
          time, .sn-feed-by { color: #555; font-size: .9rem; }
          a { color: #00796b; }
        </style>
      </head>
      <body>
        <p class="sn-feed-note">This is an RSS feed. To follow it, copy its address into your feed reader:
          <code><xsl:value-of select="atom:link[@rel='self']/@href"/></code></p>
        <h1><xsl:value-of select="title"/></h1>
        <p><xsl:value-of select="description"/></p>
        <p><a href="{link}">Open the page on the site</a></p>
        <ol class="sn-feed-items">
          <xsl:for-each select="item">
            <li class="sn-feed-item">
              <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
              <time><xsl:value-of select="pubDate"/></time>
              <xsl:if test="dc:creator">
                <span class="sn-feed-by"> · <xsl:for-each select="dc:creator"><xsl:value-of select="."/><xsl:if test="position() != last()">, </xsl:if></xsl:for-each></span>
              </xsl:if>
              <p><xsl:value-of select="description"/></p>
            </li>
          </xsl:for-each>
        </ol>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
