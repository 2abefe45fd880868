<?xml version="1.0" encoding="UTF-8"?>
<!-- The title page (index.html): title, editors, source, licence, contents. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:x="urn:editio:extract"
  xmlns:f="urn:editio:function"
  xmlns:t="urn:editio:template"
  xmlns:m="urn:editio:mode"
  exclude-result-prefixes="#all">

  <xsl:template name="t:index-page">
    <xsl:variable name="header" select="$edition-header"/>
    <xsl:variable name="source" select="$header/tei:fileDesc/tei:sourceDesc"/>
    <xsl:call-template name="t:emit">
      <xsl:with-param name="name" select="'index.html'"/>
      <xsl:with-param name="title" select="string($site/@title)"/>
      <xsl:with-param name="description" select="string-join(($site/@title, $site/@subtitle[. != '']), ': ')"/>
      <xsl:with-param name="content" as="node()*">
        <header class="title-page">
          <h1><xsl:value-of select="$site/@title"/></h1>
          <xsl:if test="$site/@subtitle != ''"><p class="subtitle"><xsl:value-of select="$site/@subtitle"/></p></xsl:if>
          <xsl:if test="$site/editor">
            <p class="editors">Edited by <xsl:value-of select="f:join-names($site/editor)"/></p>
          </xsl:if>
        </header>
        <xsl:if test="$source/tei:bibl | $source/tei:biblStruct | $source/tei:p">
          <section aria-labelledby="source-h">
            <h2 id="source-h">Source</h2>
            <xsl:for-each select="$source/(tei:bibl | tei:biblStruct | tei:p)">
              <p><xsl:apply-templates select="." mode="m:bibl-line"/></p>
            </xsl:for-each>
          </section>
        </xsl:if>
        <section aria-labelledby="contents-h">
          <h2 id="contents-h">Contents</h2>
          <ol class="contents">
            <xsl:for-each select="$extracts">
              <li><a href="{@page}"><xsl:value-of select="@title"/></a></li>
            </xsl:for-each>
          </ol>
          <ul class="contents-extra">
            <li>Register: <a href="persons.html">persons</a>, <a href="places.html">places</a>,
              <a href="organisations.html">organisations</a>, <a href="events.html">events</a></li>
            <li><a href="timeline.html">Timeline</a> · <a href="notes.html">All notes</a></li>
            <li><a href="about.html">About this edition</a> · <a href="downloads.html">Downloads (TEI, PDF, text)</a></li>
          </ul>
        </section>
        <section aria-labelledby="licence-h">
          <h2 id="licence-h">Licence</h2>
          <p>
            <xsl:choose>
              <xsl:when test="$site/@licence-url != '' and f:safe-url($site/@licence-url)">
                <a rel="license" href="{$site/@licence-url}"><xsl:value-of select="$site/@licence"/></a>
              </xsl:when>
              <xsl:otherwise><xsl:value-of select="($site/@licence[. != ''], 'See the About page.')[1]"/></xsl:otherwise>
            </xsl:choose>
          </p>
        </section>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- A bibliographic description on one line: author, title, place, publisher, date. -->
  <xsl:template match="tei:bibl | tei:biblStruct" mode="m:bibl-line">
    <xsl:variable name="parts" select="(.//tei:author)[1], (.//tei:title)[1], (.//tei:pubPlace)[1], (.//tei:publisher)[1], (.//tei:date)[1]"/>
    <xsl:choose>
      <xsl:when test="exists($parts)">
        <xsl:for-each select="$parts">
          <xsl:if test="position() gt 1">
            <xsl:value-of select="if (self::tei:publisher and preceding-sibling::tei:pubPlace) then ': ' else ', '"/>
          </xsl:if>
          <xsl:choose>
            <xsl:when test="self::tei:title"><cite><xsl:value-of select="normalize-space(.)"/></cite></xsl:when>
            <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
        <xsl:text>.</xsl:text>
        <xsl:for-each select="tei:note">
          <xsl:text> </xsl:text><xsl:apply-templates/>
        </xsl:for-each>
      </xsl:when>
      <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:p" mode="m:bibl-line">
    <xsl:apply-templates/>
  </xsl:template>

</xsl:stylesheet>
