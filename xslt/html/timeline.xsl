<?xml version="1.0" encoding="UTF-8"?>
<!-- The timeline (timeline.html): every dated mention and every register event, in chronological order. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:x="urn:editio:extract"
  xmlns:f="urn:editio:function"
  xmlns:t="urn:editio:template"
  xmlns:m="urn:editio:mode"
  exclude-result-prefixes="#all">

  <xsl:template name="t:timeline-page">
    <xsl:variable name="events" select="$register//tei:event[@xml:id][f:date-key(.) != '9999-99-99']"/>
    <!-- Whether the chapters have dated mentions (their summaries count them, parts.xsl); the rows themselves
         are the chapters' parts. -->
    <xsl:variable name="dates" select="$extracts/x:dates"/>
    <xsl:call-template name="t:emit">
      <xsl:with-param name="name" select="'timeline.html'"/>
      <xsl:with-param name="title" select="'Timeline'"/>
      <xsl:with-param name="description" select="'Dates mentioned in ' || $site/@title || ', in chronological order'"/>
      <xsl:with-param name="content" as="node()*">
        <h1>Timeline</h1>
        <p class="lead">Every date the text mentions and every event of the register, in chronological order.
          Periods are placed at their earliest possible date; the date as written in the text is quoted.</p>
        <xsl:choose>
          <xsl:when test="empty($events | $dates)"><p>No dated mentions.</p></xsl:when>
          <xsl:otherwise>
            <ol class="timeline">
              <!-- By date, events before mentions, ties in input order: register order for events, reading order
                   for mentions. The register's events are written here, each after its key (editio-row); the
                   chapters' rows are made with their other parts (parts.xsl), and editio merges both in that
                   order at the splice point. -->
              <xsl:for-each select="$events">
                <xsl:processing-instruction name="editio-row" select="'&amp;' || f:date-key(.)"/>
                <xsl:apply-templates select="." mode="m:timeline-item"/>
              </xsl:for-each>
              <xsl:processing-instruction name="editio-splice" select="'&amp;timeline'"/>
            </ol>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="x:date" mode="m:timeline-item">
    <li class="tl-mention">
      <xsl:call-template name="t:tl-date">
        <xsl:with-param name="label" select="string(@label)"/>
        <xsl:with-param name="datetime" select="string(@datetime)"/>
      </xsl:call-template>
      <xsl:text> </xsl:text>
      <span class="tl-body">
        <xsl:call-template name="t:where">
          <xsl:with-param name="item" select="."/>
          <xsl:with-param name="fragment" select="(@p, '')[1]"/>
        </xsl:call-template>
        <xsl:text>: </xsl:text>
        <xsl:call-template name="t:snippet"><xsl:with-param name="item" select="."/></xsl:call-template>
      </span>
    </li>
  </xsl:template>

  <xsl:template match="tei:event" mode="m:timeline-item">
    <li class="tl-event">
      <xsl:call-template name="t:tl-date">
        <xsl:with-param name="label" select="f:format-period(.)"/>
        <xsl:with-param name="datetime" select="f:datetime(.)"/>
      </xsl:call-template>
      <xsl:text> </xsl:text>
      <span class="tl-body">
        <span class="tl-kind">Event: </span>
        <a href="{f:entity-href(.)}"><xsl:value-of select="f:entity-name(.)"/></a>
        <xsl:variable name="summary" select="f:entity-summary(.)"/>
        <xsl:if test="$summary != ''">. <xsl:value-of select="$summary"/></xsl:if>
      </span>
    </li>
  </xsl:template>

  <xsl:template name="t:tl-date">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="datetime" as="xs:string"/>
    <xsl:choose>
      <xsl:when test="$datetime != ''"><time class="tl-date" datetime="{$datetime}"><xsl:value-of select="$label"/></time></xsl:when>
      <xsl:otherwise><span class="tl-date"><xsl:value-of select="$label"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
