<?xml version="1.0" encoding="UTF-8"?>
<!-- The downloads page: the TEI sources, the PDF and the plain text of each chapter. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:x="urn:editio:extract"
  xmlns:f="urn:editio:function"
  xmlns:t="urn:editio:template"
  exclude-result-prefixes="#all">

  <xsl:template name="t:downloads-page">
    <xsl:variable name="kinds" select="$site/download/@kind ! string(.)"/>
    <xsl:call-template name="t:emit">
      <xsl:with-param name="name" select="'downloads.html'"/>
      <xsl:with-param name="title" select="'Downloads'"/>
      <xsl:with-param name="content" as="node()*">
        <h1>Downloads</h1>
        <xsl:if test="$kinds = 'pdf'">
          <section aria-labelledby="dl-pdf">
            <h2 id="dl-pdf">Print edition</h2>
            <p><a href="{($site/@pdf[. != ''], 'edition.pdf')[1]}" type="application/pdf">The whole edition as PDF</a>
              (PDF/A, with the TEI sources attached).</p>
          </section>
        </xsl:if>
        <section aria-labelledby="dl-tei">
          <h2 id="dl-tei">TEI sources</h2>
          <p>The XML from which this site and the PDF are made (TEI P5).</p>
          <ul>
            <xsl:for-each select="$extracts">
              <li><a href="tei/{@stem}.xml" type="application/tei+xml"><xsl:value-of select="@stem"/>.xml</a> — <xsl:value-of select="@title"/></li>
            </xsl:for-each>
            <xsl:if test="$site/@register-stem != ''">
              <li><a href="tei/{$site/@register-stem}.xml" type="application/tei+xml"><xsl:value-of select="$site/@register-stem"/>.xml</a> — the register of persons, places, organisations and events</li>
            </xsl:if>
          </ul>
        </section>
        <xsl:if test="$kinds = 'text'">
          <section aria-labelledby="dl-text">
            <h2 id="dl-text">Plain text</h2>
            <p>The corrected reading of each chapter as UTF-8 text, for searching and comparing.</p>
            <ul>
              <xsl:for-each select="$extracts">
                <li><a href="text/{@stem}.txt" type="text/plain"><xsl:value-of select="@stem"/>.txt</a> — <xsl:value-of select="@title"/></li>
              </xsl:for-each>
            </ul>
          </section>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>
