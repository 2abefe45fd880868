<?xml version="1.0" encoding="UTF-8"?>
<!-- The chapter page: title, reading switch, numbered citable paragraphs, footnotes, previous/next navigation. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:editio:function"
  xmlns:t="urn:editio:template"
  xmlns:m="urn:editio:mode"
  exclude-result-prefixes="#all">

  <xsl:template match="/" mode="m:chapter-page">
    <xsl:apply-templates select="tei:TEI" mode="m:chapter-page"/>
  </xsl:template>

  <xsl:template match="tei:TEI" mode="m:chapter-page">
    <xsl:variable name="title" select="f:chapter-title(.)"/>
    <xsl:call-template name="t:page">
      <xsl:with-param name="title" select="$title"/>
      <xsl:with-param name="page-class" select="'page chapter-page'"/>
      <xsl:with-param name="lang" select="(@xml:lang, $site/@language[. != ''], 'en')[1]"/>
      <xsl:with-param name="description" select="string-join(($title, f:doc-author(.)[. != '']), ' — ')"/>
      <xsl:with-param name="main-of" select="."/>
    </xsl:call-template>
  </xsl:template>

  <!-- The chapter page's main content (t:page makes it in place). -->
  <xsl:template match="tei:TEI" mode="m:page-main">
    <xsl:variable name="title" select="f:chapter-title(.)"/>
    <xsl:variable name="chapters" select="$site/chapter"/>
    <xsl:variable name="here" select="$chapters[@page = $page][1]"/>
    <!-- The context may hold only this chapter and its neighbours (editio.html.SiteContext.around): place and
         number of chapters come from @n and @chapter-count. -->
    <xsl:variable name="pos" select="if ($here) then xs:integer($here/@n) else 0"/>
    <xsl:variable name="count" select="xs:integer($site/@chapter-count)"/>
    <article class="chapter">
      <header class="chapter-head">
        <xsl:if test="$pos gt 0 and $count gt 1">
          <p class="kicker">Chapter <xsl:value-of select="$pos"/> of <xsl:value-of select="$count"/></p>
        </xsl:if>
        <h1>
          <xsl:choose>
            <xsl:when test="f:title-head(.)">
              <xsl:apply-templates select="f:title-head(.)/node()">
                <xsl:with-param name="chapter-mode" select="true()" tunnel="yes"/>
              </xsl:apply-templates>
            </xsl:when>
            <xsl:otherwise><xsl:value-of select="$title"/></xsl:otherwise>
          </xsl:choose>
        </h1>
        <xsl:call-template name="t:reading-tools">
          <xsl:with-param name="has-choices" select="exists(tei:text//tei:choice)"/>
        </xsl:call-template>
      </header>
      <div class="text">
        <xsl:apply-templates select="tei:text">
          <xsl:with-param name="chapter-mode" select="true()" tunnel="yes"/>
        </xsl:apply-templates>
      </div>
      <xsl:call-template name="footnotes">
        <xsl:with-param name="notes" select="tei:text/tei:body//tei:note[not(ancestor::tei:note)]"/>
        <xsl:with-param name="chapter-mode" select="true()" tunnel="yes"/>
      </xsl:call-template>
    </article>
    <xsl:call-template name="t:chapter-nav">
      <xsl:with-param name="pos" select="$pos"/>
    </xsl:call-template>
    <xsl:call-template name="t:popovers"/>
  </xsl:template>

  <!-- The heading already used as the page's h1. -->
  <xsl:template match="tei:head[. is f:title-head(.)]" priority="2"/>

  <!-- The reading switch (radio buttons: CSS shows the chosen reading, JavaScript keeps it in the URL)
       and the key to how mentions are marked. -->
  <xsl:template name="t:reading-tools">
    <xsl:param name="has-choices" as="xs:boolean"/>
    <xsl:variable name="printed-default" select="$site/@reading = 'diplomatic'"/>
    <div class="tools">
      <xsl:if test="$has-choices">
        <fieldset class="reading-switch">
          <legend>Reading</legend>
          <label>
            <input type="radio" name="reading" value="corrected" id="reading-corrected">
              <xsl:if test="not($printed-default)"><xsl:attribute name="checked" select="'checked'"/></xsl:if>
            </input>
            <xsl:text> Corrected</xsl:text>
          </label>
          <label>
            <input type="radio" name="reading" value="printed" id="reading-printed">
              <xsl:if test="$printed-default"><xsl:attribute name="checked" select="'checked'"/></xsl:if>
            </input>
            <xsl:text> As printed</xsl:text>
          </label>
        </fieldset>
      </xsl:if>
      <p class="key">
        <span class="key-label">Names link to the register:</span>
        <xsl:for-each select="('person', 'place', 'org', 'event')">
          <xsl:text> </xsl:text>
          <span class="mention key-item" data-type="{.}"><span class="key-sample"><xsl:value-of select="lower-case(f:kind-singular(.))"/></span></span>
        </xsl:for-each>
        <xsl:if test="$has-choices">
          <xsl:text> · </xsl:text>
          <span class="corrected key-item">corrected text</span>
        </xsl:if>
      </p>
    </div>
  </xsl:template>

  <!-- A paragraph of the reading text: margin number with permalink, the text, and "cite this paragraph". -->
  <xsl:template match="tei:p[f:is-text-para(.)]" priority="2">
    <xsl:variable name="n" select="f:para-number(.)"/>
    <xsl:variable name="anchor" select="f:para-anchor(.)"/>
    <div class="para" id="{$anchor}">
      <a class="pnum" href="#{$anchor}" title="Link to paragraph {$n}"><span class="vh">Paragraph </span><xsl:value-of select="$n"/></a>
      <!-- HTML's p may hold only phrasing content; a TEI p with a list, table or verse inside becomes a div. -->
      <xsl:element name="{if (f:has-blocks(.)) then 'div' else 'p'}">
        <xsl:if test="f:has-blocks(.)"><xsl:attribute name="class" select="'p'"/></xsl:if>
        <xsl:apply-templates/>
      </xsl:element>
      <xsl:call-template name="t:cite">
        <xsl:with-param name="n" select="$n"/>
        <xsl:with-param name="anchor" select="$anchor"/>
      </xsl:call-template>
    </div>
  </xsl:template>

  <!-- The parts of a citation that are the same for every paragraph, computed once per chapter. -->
  <xsl:variable name="cite-tei" select="/tei:TEI"/>
  <xsl:variable name="cite-before" as="xs:string"
    select="string-join((f:doc-author($cite-tei)[. != ''] ! (. || '. '), '“', f:chapter-title($cite-tei), '”, paragraph '), '')"/>
  <xsl:variable name="cite-middle" as="xs:string"
    select="let $edition := normalize-space($cite-tei/tei:teiHeader/tei:fileDesc/tei:editionStmt/tei:edition[1])
            return string-join((if ($site/editor) then ', edited by ' || f:join-names($site/editor) else (), '. ',
                                if ($edition != '') then replace($edition, '\.$', '') || '. ' else ()), '')"/>
  <xsl:variable name="cite-after" as="xs:string"
    select="let $published := $cite-tei/tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:date[1]
            return (if ($site/@date != '') then 'Edition of ' || f:format-date($site/@date) || '.'
                            else if ($published) then 'Published ' || (if ($published/@when) then f:format-date($published/@when)
                                                                         else normalize-space($published)) || '.'
                            else '')"/>

  <!-- "Cite this paragraph": a disclosure with a ready-made citation (JavaScript adds a copy button and the
       date of access). -->
  <xsl:template name="t:cite">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="anchor" as="xs:string"/>
    <details class="cite">
      <summary>Cite<span class="vh"> paragraph <xsl:value-of select="$n"/></span></summary>
      <p class="citation">
        <xsl:value-of select="$cite-before"/>
        <xsl:value-of select="$n"/><xsl:text>. In </xsl:text>
        <cite><xsl:value-of select="($site/@title[. != ''], 'this edition')[1]"/></cite>
        <xsl:value-of select="$cite-middle"/>
        <span class="cite-url" data-fragment="{$page}#{$anchor}"><xsl:value-of select="f:absolute-url($page || '#' || $anchor)"/></span>
        <xsl:text>. </xsl:text>
        <xsl:value-of select="$cite-after"/>
        <span class="cite-accessed"></span>
      </p>
    </details>
  </xsl:template>

  <!-- Previous / contents / next chapter. -->
  <xsl:template name="t:chapter-nav">
    <xsl:param name="pos" as="xs:integer"/>
    <xsl:variable name="chapters" select="$site/chapter"/>
    <nav class="chapter-nav" aria-label="Chapters">
      <ul>
        <li class="prev">
          <xsl:if test="$pos gt 1">
            <xsl:variable name="prev" select="$chapters[xs:integer(@n) = $pos - 1]"/>
            <a rel="prev" href="{$prev/@page}"><span aria-hidden="true">← </span><span class="vh">Previous chapter: </span><xsl:value-of select="$prev/@title"/></a>
          </xsl:if>
        </li>
        <li class="up"><a href="index.html">Contents</a></li>
        <li class="next">
          <xsl:if test="$pos gt 0 and $pos lt xs:integer($site/@chapter-count)">
            <xsl:variable name="next" select="$chapters[xs:integer(@n) = $pos + 1]"/>
            <a rel="next" href="{$next/@page}"><span class="vh">Next chapter: </span><xsl:value-of select="$next/@title"/><span aria-hidden="true"> →</span></a>
          </xsl:if>
        </li>
      </ul>
    </nav>
  </xsl:template>

  <!-- The header is shown on the About page, not in the chapter. -->
  <xsl:template match="tei:teiHeader"/>

</xsl:stylesheet>
