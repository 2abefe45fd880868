<?xml version="1.0" encoding="UTF-8"?>
<!-- The page shell shared by every page: head, skip link, header with the site navigation, main, footer. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:editio:function"
  xmlns:t="urn:editio:template"
  xmlns:m="urn:editio:mode"
  exclude-result-prefixes="#all">

  <xsl:variable name="site" as="element()?" select="$context/*"/>

  <!-- The site-wide navigation: (page, label). -->
  <xsl:variable name="nav-items" as="xs:string*"
    select="('index.html', 'Contents', 'persons.html', 'Persons', 'places.html', 'Places',
             'organisations.html', 'Organisations', 'events.html', 'Events', 'timeline.html', 'Timeline',
             'notes.html', 'Notes', 'about.html', 'About', 'downloads.html', 'Downloads',
             'guidelines.html', 'Guidelines')"/>

  <!-- The whole page around $content, or around what $main-of gives in mode m:page-main (made straight into the
       page: a large page, such as a chapter's, is then not built once as $content and copied again). -->
  <xsl:template name="t:page">
    <xsl:param name="title" as="xs:string" required="yes"/>
    <xsl:param name="content" as="node()*" select="()"/>
    <xsl:param name="main-of" as="node()?" select="()"/>
    <xsl:param name="page-name" as="xs:string" select="$page"/>
    <xsl:param name="page-class" as="xs:string" select="'page'"/>
    <xsl:param name="description" as="xs:string" select="''"/>
    <xsl:param name="lang" as="xs:string" select="($site/@language[. != ''], 'en')[1]"/>
    <xsl:variable name="site-title" select="string(($site/@title[. != ''], 'Edition')[1])"/>
    <html lang="{$lang}">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="if ($title = $site-title) then $title else $title || ' — ' || $site-title"/></title>
        <xsl:if test="$description != ''">
          <meta name="description" content="{$description}"/>
        </xsl:if>
        <meta name="generator" content="editio"/>
        <xsl:if test="$site/@base-url != ''">
          <link rel="canonical" href="{f:absolute-url($page-name)}"/>
        </xsl:if>
        <link rel="stylesheet" href="assets/editio.css"/>
        <script src="assets/editio.js" defer="defer"></script>
      </head>
      <body class="{$page-class}">
        <a class="skip" href="#main">Skip to content</a>
        <header class="site-header">
          <p class="site-title"><a href="index.html"><xsl:value-of select="$site-title"/></a></p>
          <nav class="site-nav" aria-label="Site">
            <ul>
              <xsl:for-each select="1 to count($nav-items) idiv 2">
                <xsl:variable name="target" select="$nav-items[2 * current() - 1]"/>
                <li>
                  <a href="{$target}">
                    <xsl:if test="$target = $page-name"><xsl:attribute name="aria-current" select="'page'"/></xsl:if>
                    <xsl:value-of select="$nav-items[2 * current()]"/>
                  </a>
                </li>
              </xsl:for-each>
            </ul>
          </nav>
        </header>
        <main id="main" tabindex="-1">
          <xsl:sequence select="$content"/>
          <xsl:apply-templates select="$main-of" mode="m:page-main"/>
        </main>
        <footer class="site-footer">
          <p>
            <cite><xsl:value-of select="$site-title"/></cite>
            <xsl:if test="$site/editor">
              <xsl:text>, edited by </xsl:text>
              <xsl:value-of select="f:join-names($site/editor)"/>
            </xsl:if>
            <xsl:text>.</xsl:text>
            <xsl:if test="$site/@date != ''"> Edition of <xsl:value-of select="f:format-date($site/@date)"/>.</xsl:if>
          </p>
          <p>
            <xsl:choose>
              <xsl:when test="$site/@licence-url != '' and f:safe-url($site/@licence-url)">
                <a rel="license" href="{$site/@licence-url}"><xsl:value-of select="($site/@licence[. != ''], 'Licence')[1]"/></a>
              </xsl:when>
              <xsl:otherwise><xsl:value-of select="$site/@licence"/></xsl:otherwise>
            </xsl:choose>
            <xsl:text> · </xsl:text><a href="about.html">About this edition</a>
            <xsl:text> · </xsl:text><a href="guidelines.html">Encoding guidelines</a>
            <xsl:text> · </xsl:text><a href="downloads.html">TEI sources and PDF</a>
            <xsl:text> · Made with editio</xsl:text>
          </p>
        </footer>
      </body>
    </html>
  </xsl:template>

  <!-- "A", "A and B", "A, B and C". -->
  <xsl:function name="f:join-names" as="xs:string">
    <xsl:param name="names" as="item()*"/>
    <xsl:variable name="s" select="$names ! normalize-space(string(.))[. != '']"/>
    <xsl:sequence select="if (count($s) le 2) then string-join($s, ' and ')
                          else string-join($s[position() lt last()], ', ') || ' and ' || $s[last()]"/>
  </xsl:function>

  <!-- The absolute URL of a page of the site (base-url + page), or the page name when no base URL is set. -->
  <xsl:function name="f:absolute-url" as="xs:string">
    <xsl:param name="page-and-fragment" as="xs:string"/>
    <xsl:variable name="base" select="string($site/@base-url)"/>
    <xsl:sequence select="if ($base = '') then $page-and-fragment
                          else replace($base, '/*$', '/') || $page-and-fragment"/>
  </xsl:function>

</xsl:stylesheet>
