<?xml version="1.0" encoding="UTF-8"?>
<!-- "About this edition" (about.html) from the teiHeader: responsibility, publication, source, editorial
     principles, abstract and revision history. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:x="urn:editio:extract"
  xmlns:f="urn:editio:function"
  xmlns:t="urn:editio:template"
  xmlns:m="urn:editio:mode"
  exclude-result-prefixes="#all">

  <!-- Headings for the parts of encodingDesc and editorialDecl. -->
  <xsl:variable name="f:header-labels" as="map(xs:string, xs:string)" select="map{
    'projectDesc': 'The project', 'samplingDecl': 'Selection', 'editorialDecl': 'Editorial principles',
    'correction': 'Corrections', 'normalization': 'Normalisation', 'quotation': 'Quotation marks',
    'hyphenation': 'Hyphenation', 'segmentation': 'Segmentation', 'interpretation': 'Interpretation and tagging',
    'punctuation': 'Punctuation', 'stdVals': 'Dates and standard values', 'tagsDecl': 'Tags used',
    'refsDecl': 'References', 'classDecl': 'Classification', 'appInfo': 'Software'}"/>

  <xsl:template name="t:about-page">
    <xsl:variable name="h" select="$edition-header"/>
    <xsl:variable name="fd" select="$h/tei:fileDesc"/>
    <xsl:call-template name="t:emit">
      <xsl:with-param name="name" select="'about.html'"/>
      <xsl:with-param name="title" select="'About this edition'"/>
      <xsl:with-param name="content" as="node()*">
        <h1>About this edition</h1>
        <xsl:if test="$h/tei:profileDesc/tei:abstract">
          <section aria-labelledby="about-abstract">
            <h2 id="about-abstract">Summary</h2>
            <xsl:apply-templates select="$h/tei:profileDesc/tei:abstract/node()" mode="m:header"/>
          </section>
        </xsl:if>
        <section aria-labelledby="about-resp">
          <h2 id="about-resp">Responsibility</h2>
          <dl class="entry-data">
            <xsl:for-each select="$fd/tei:titleStmt/tei:author">
              <dt>Author</dt><dd><xsl:value-of select="normalize-space(.)"/></dd>
            </xsl:for-each>
            <xsl:for-each select="$fd/tei:titleStmt/tei:editor">
              <dt>Editor</dt><dd><xsl:value-of select="normalize-space(.)"/></dd>
            </xsl:for-each>
            <xsl:for-each select="$fd/(tei:titleStmt | tei:editionStmt)/tei:respStmt">
              <dt><xsl:value-of select="normalize-space(string-join(tei:resp, '; '))"/></dt>
              <dd><xsl:value-of select="f:join-names(tei:name | tei:persName | tei:orgName)"/></dd>
            </xsl:for-each>
            <xsl:for-each select="$fd/tei:editionStmt/tei:edition">
              <dt>Edition</dt><dd><xsl:apply-templates mode="m:header"/></dd>
            </xsl:for-each>
            <xsl:for-each select="$fd/tei:publicationStmt">
              <xsl:if test="tei:publisher | tei:distributor | tei:authority">
                <dt>Publisher</dt><dd><xsl:value-of select="normalize-space((tei:publisher, tei:distributor, tei:authority)[1])"/></dd>
              </xsl:if>
              <xsl:if test="tei:pubPlace"><dt>Place</dt><dd><xsl:value-of select="normalize-space(tei:pubPlace[1])"/></dd></xsl:if>
              <xsl:if test="tei:date"><dt>Date</dt><dd><xsl:value-of select="if (tei:date[1]/@when) then f:format-date(tei:date[1]/@when) else normalize-space(tei:date[1])"/></dd></xsl:if>
              <xsl:for-each select="tei:availability">
                <dt>Licence</dt>
                <dd>
                  <xsl:for-each select="tei:licence">
                    <xsl:choose>
                      <xsl:when test="@target and f:safe-url(@target)"><a rel="license" href="{@target}"><xsl:apply-templates mode="m:header"/></a></xsl:when>
                      <xsl:otherwise>
                        <xsl:if test="@target"><xsl:call-template name="t:unsafe-url"><xsl:with-param name="attr" select="@target"/></xsl:call-template></xsl:if>
                        <xsl:apply-templates mode="m:header"/>
                      </xsl:otherwise>
                    </xsl:choose>
                  </xsl:for-each>
                  <xsl:for-each select="tei:p"><xsl:text> </xsl:text><xsl:apply-templates mode="m:header"/></xsl:for-each>
                </dd>
              </xsl:for-each>
            </xsl:for-each>
          </dl>
        </section>
        <xsl:if test="$fd/tei:sourceDesc">
          <section aria-labelledby="about-source">
            <h2 id="about-source">Source</h2>
            <xsl:for-each select="$fd/tei:sourceDesc/*">
              <xsl:choose>
                <xsl:when test="self::tei:bibl or self::tei:biblStruct">
                  <p><xsl:apply-templates select="." mode="m:bibl-line"/></p>
                </xsl:when>
                <xsl:otherwise><xsl:apply-templates select="." mode="m:header"/></xsl:otherwise>
              </xsl:choose>
            </xsl:for-each>
          </section>
        </xsl:if>
        <xsl:for-each select="$h/tei:encodingDesc/*">
          <section aria-labelledby="about-{local-name()}">
            <h2 id="about-{local-name()}"><xsl:value-of select="f:header-label(.)"/></h2>
            <xsl:apply-templates select="node()" mode="m:header"/>
          </section>
        </xsl:for-each>
        <xsl:if test="$h/tei:profileDesc/tei:textClass/tei:keywords">
          <section aria-labelledby="about-keywords">
            <h2 id="about-keywords">Keywords</h2>
            <p><xsl:value-of select="string-join($h/tei:profileDesc/tei:textClass/tei:keywords//tei:term ! normalize-space(.), '; ')"/></p>
          </section>
        </xsl:if>
        <xsl:if test="$h/tei:revisionDesc">
          <section aria-labelledby="about-revisions">
            <h2 id="about-revisions">Revision history</h2>
            <table class="revisions">
              <thead><tr><th scope="col">Date</th><th scope="col">By</th><th scope="col">Change</th></tr></thead>
              <tbody>
                <xsl:for-each select="$h/tei:revisionDesc//tei:change">
                  <tr>
                    <td><xsl:value-of select="f:format-period(.)"/></td>
                    <td><xsl:value-of select="f:join-names(tokenize(normalize-space(@who)) ! f:resp-name(., $h))"/></td>
                    <td><xsl:apply-templates mode="m:header"/></td>
                  </tr>
                </xsl:for-each>
              </tbody>
            </table>
          </section>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:function name="f:header-label" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="($f:header-labels(local-name($el)), replace(local-name($el), '([a-z])([A-Z])', '$1 $2'))[1]"/>
  </xsl:function>

  <!-- The name behind a pointer like "#ed": the element with that xml:id in the header, else the pointer. -->
  <xsl:function name="f:resp-name" as="xs:string">
    <xsl:param name="pointer" as="xs:string"/>
    <xsl:param name="header" as="element()"/>
    <xsl:variable name="el" select="$header//*[@xml:id = substring-after($pointer, '#')][1]"/>
    <xsl:sequence select="if ($el) then normalize-space(($el/(tei:persName | tei:name), $el)[1]) else replace($pointer, '^#', '')"/>
  </xsl:function>

  <!-- Header prose: paragraphs and lists as blocks, the parts of editorialDecl as subsections, inline markup
       through the usual templates. -->
  <xsl:template match="tei:p" mode="m:header"><p><xsl:apply-templates/></p></xsl:template>
  <xsl:template match="tei:list" mode="m:header"><xsl:apply-templates select="."/></xsl:template>
  <xsl:template match="tei:editorialDecl/* | tei:encodingDesc/*/*[tei:p]" mode="m:header" priority="-0.1">
    <section class="header-part">
      <h3><xsl:value-of select="f:header-label(.)"/></h3>
      <xsl:apply-templates mode="m:header"/>
    </section>
  </xsl:template>
  <xsl:template match="tei:tagsDecl | tei:classDecl | tei:listPrefixDef | tei:prefixDef | tei:schemaRef | tei:appInfo" mode="m:header"/>
  <xsl:template match="*" mode="m:header" priority="-1"><xsl:apply-templates select="."/></xsl:template>
  <xsl:template match="text()" mode="m:header"><xsl:value-of select="."/></xsl:template>

</xsl:stylesheet>
