<?xml version="1.0" encoding="UTF-8"?>
<!-- The notes index (notes.html): every note of every chapter, with its type and a link to its place. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:x="urn:editio:extract"
  xmlns:f="urn:editio:function"
  xmlns:t="urn:editio:template"
  exclude-result-prefixes="#all">

  <xsl:template name="t:notes-page">
    <xsl:call-template name="t:emit">
      <xsl:with-param name="name" select="'notes.html'"/>
      <xsl:with-param name="title" select="'Notes'"/>
      <xsl:with-param name="description" select="'All editorial, historical and translation notes of ' || $site/@title"/>
      <xsl:with-param name="content" as="node()*">
        <h1>Notes</h1>
        <!-- From the chapters' summaries: the number of notes of each type (x:note-count, parts.xsl). -->
        <xsl:variable name="counts" select="$extracts/x:note-count"/>
        <xsl:variable name="total" select="sum($counts/@n)"/>
        <xsl:variable name="full" select="$total le $notes-in-full"/>
        <xsl:variable name="types" select="distinct-values($counts/@type[. != ''])"/>
        <p class="lead"><xsl:value-of select="$total"/> notes<xsl:if test="exists($types)">:
          <xsl:value-of select="string-join(for $ty in sort($types) return sum($counts[@type = $ty]/@n) || ' ' || lower-case(f:note-type-label(($counts[@type = $ty])[1])) || 's', ', ')"/></xsl:if>.</p>
        <xsl:if test="not($full)">
          <p>Each note is shown by its beginning; follow the link to read it in its chapter.</p>
        </xsl:if>
        <!-- Each chapter's section (t:notes-chapter, made with the chapter's other parts) is spliced in here. -->
        <xsl:processing-instruction name="editio-splice" select="if ($full) then '&amp;notes-full' else '&amp;notes-brief'"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- One chapter's section of the notes page (the context: its extract): every note, in full ($full) or by its
       beginning. -->
  <xsl:template name="t:notes-chapter">
    <xsl:param name="full" as="xs:boolean"/>
    <section aria-labelledby="notes-{@stem}">
      <h2 id="notes-{@stem}"><a href="{@page}"><xsl:value-of select="@title"/></a></h2>
      <ol class="notes-list">
        <xsl:for-each select="x:note">
          <li class="note-{(@type[. != ''], 'plain')[1]}" value="{@n}">
            <p class="fn-head">
              <!-- The chapter is the section's heading: the link names the note and its paragraph only. -->
              <a href="{../@page}#{@anchor}">Note <xsl:value-of select="@n"/><xsl:if test="@pn">, ¶ <xsl:value-of select="@pn"/></xsl:if></a>
              <xsl:text> · </xsl:text>
              <span class="fn-type"><xsl:value-of select="f:note-type-label(.)"/></span>
            </p>
            <xsl:choose>
              <xsl:when test="$full">
                <xsl:for-each select="tei:note">
                  <xsl:call-template name="note-body">
                    <xsl:with-param name="source-page" select="string(ancestor::x:extract/@page)" tunnel="yes"/>
                  </xsl:call-template>
                </xsl:for-each>
              </xsl:when>
              <xsl:otherwise>
                <!-- The extract's @beginning; an extract made before it existed still has the note. -->
                <p class="fn-body">
                  <xsl:value-of select="(@beginning, f:beginning(f:plain-text(tei:note/node(), 'corrected'), 160))[1]"/>
                </p>
              </xsl:otherwise>
            </xsl:choose>
          </li>
        </xsl:for-each>
      </ol>
    </section>
  </xsl:template>

</xsl:stylesheet>
