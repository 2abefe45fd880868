<?xml version="1.0" encoding="UTF-8"?>
<!-- The register pages (persons, places, organisations, events): each entry with its data, authority links
     and backlinks to every mention (chapter, paragraph, snippet). -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:x="urn:editio:extract"
  xmlns:f="urn:editio:function"
  xmlns:t="urn:editio:template"
  xmlns:m="urn:editio:mode"
  exclude-result-prefixes="#all">

  <xsl:key name="x:mentions" match="x:mention" use="@ref"/>

  <xsl:template name="t:register-pages">
    <xsl:for-each select="('person', 'place', 'org', 'event')">
      <xsl:variable name="kind" select="."/>
      <xsl:variable name="entries" select="$register//*[self::tei:person | self::tei:personGrp | self::tei:place | self::tei:org | self::tei:event]
                                             [@xml:id][f:entity-kind(.) = $kind]"/>
      <xsl:call-template name="t:emit">
        <xsl:with-param name="name" select="f:kind-page($kind)"/>
        <xsl:with-param name="title" select="f:kind-label($kind)"/>
        <xsl:with-param name="description" select="f:kind-label($kind) || ' named in ' || $site/@title"/>
        <xsl:with-param name="content" as="node()*">
          <h1><xsl:value-of select="f:kind-label($kind)"/></h1>
          <xsl:choose>
            <xsl:when test="empty($entries)">
              <p>The register has no <xsl:value-of select="lower-case(f:kind-label($kind))"/>.</p>
            </xsl:when>
            <xsl:otherwise>
              <p class="lead"><xsl:value-of select="count($entries)"/> entries, each with the places in the text that mention it.</p>
              <nav class="entry-index" aria-label="{f:kind-label($kind)} A–Z">
                <ul>
                  <xsl:for-each select="$entries">
                    <xsl:sort select="f:sort-name(.)" lang="en"/>
                    <li><a href="#{@xml:id}"><xsl:value-of select="f:entity-name(.)"/></a></li>
                  </xsl:for-each>
                </ul>
              </nav>
              <xsl:for-each select="$entries">
                <xsl:sort select="if ($kind = 'event') then f:date-key(.) else f:sort-name(.)" lang="en"/>
                <xsl:sort select="f:sort-name(.)" lang="en"/>
                <xsl:apply-templates select="." mode="m:entry">
                  <xsl:with-param name="mentions" select="let $id := string(@xml:id) return $extract-roots ! key('x:mentions', $id, .)"/>
                </xsl:apply-templates>
              </xsl:for-each>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>
  </xsl:template>

  <!-- Sort persons by surname where one is marked, else by the standard name. -->
  <xsl:function name="f:sort-name" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="main" select="($entry/tei:persName[@type = ('main', 'standard', 'reg')], $entry/tei:persName)[1]"/>
    <xsl:variable name="name" select="f:entity-name($entry)"/>
    <xsl:sequence select="lower-case(if ($main/tei:surname) then normalize-space($main/tei:surname[1]) || ' ' || $name
                                     else if ($entry/self::tei:person) then tokenize($name)[last()] || ' ' || $name
                                     else $name)"/>
  </xsl:function>

  <xsl:template match="*" mode="m:entry">
    <xsl:param name="mentions" as="element(x:mention)*"/>
    <xsl:variable name="id" select="string(@xml:id)"/>
    <xsl:variable name="variants" select="f:entity-variants(.)"/>
    <article class="entry" id="{$id}" aria-labelledby="{$id}-h">
      <h2 id="{$id}-h"><xsl:value-of select="f:entity-name(.)"/>
        <xsl:variable name="dates" select="if (self::tei:event) then '' else f:entity-dates(.)"/>
        <xsl:if test="$dates != ''"><xsl:text> </xsl:text><span class="entry-dates">(<xsl:value-of select="$dates"/>)</span></xsl:if>
      </h2>
      <xsl:variable name="data" as="element()*">
        <xsl:if test="exists($variants)">
          <dt>Other names</dt>
          <dd>
            <!-- each name once, in its language (lang) so screen readers pronounce it right -->
            <xsl:for-each-group select="(tei:persName | tei:placeName | tei:orgName | tei:name)
                                        [normalize-space(string-join(.//text(), '')) = $variants]"
                                group-by="normalize-space(string-join(.//text(), ''))">
              <xsl:if test="position() gt 1">; </xsl:if>
              <span>
                <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
                <xsl:value-of select="current-grouping-key()"/>
              </span>
            </xsl:for-each-group>
          </dd>
        </xsl:if>
        <xsl:apply-templates select="tei:birth | tei:death | tei:occupation | tei:roleName[parent::tei:person] | tei:affiliation
                                     | tei:location | tei:country | tei:settlement[parent::tei:place] | tei:state" mode="m:entry-data"/>
        <xsl:if test="self::tei:event">
          <xsl:variable name="when" select="f:format-period(.)"/>
          <xsl:if test="$when != ''"><dt>Date</dt><dd><xsl:value-of select="$when"/></dd></xsl:if>
        </xsl:if>
        <xsl:variable name="links" select="tei:idno"/>
        <xsl:if test="exists($links)">
          <dt>Authority files</dt>
          <dd>
            <xsl:for-each select="$links">
              <xsl:variable name="url" select="f:authority-url(.)"/>
              <xsl:if test="position() gt 1">, </xsl:if>
              <xsl:choose>
                <xsl:when test="exists($url)"><a href="{iri-to-uri($url)}"><xsl:value-of select="f:authority-label(.)"/></a></xsl:when>
                <xsl:otherwise>
                  <xsl:if test="matches(normalize-space(.), '^[A-Za-z][A-Za-z0-9+.\-]*:') and not(f:safe-url(normalize-space(.)))">
                    <xsl:call-template name="t:warn">
                      <xsl:with-param name="node" select="."/>
                      <xsl:with-param name="rule" select="'html.unsafe-url'"/>
                      <xsl:with-param name="message" select="'unsafe URL dropped from &lt;idno&gt;: ' || substring(normalize-space(.), 1, 60)"/>
                    </xsl:call-template>
                  </xsl:if>
                  <xsl:value-of select="f:authority-label(.)"/>
                </xsl:otherwise>
              </xsl:choose>
            </xsl:for-each>
          </dd>
        </xsl:if>
      </xsl:variable>
      <xsl:if test="exists($data)"><dl class="entry-data"><xsl:sequence select="$data"/></dl></xsl:if>
      <xsl:for-each select="tei:note | tei:desc">
        <div class="entry-desc"><xsl:call-template name="note-body"/></div>
      </xsl:for-each>
      <xsl:if test="self::tei:event and .//tei:persName[@ref]">
        <p class="participants">Participants:
          <xsl:for-each-group select=".//tei:persName[@ref]" group-by="f:ref-id(@ref)">
            <xsl:if test="position() gt 1">, </xsl:if>
            <xsl:variable name="p" select="f:entity(@ref, $register)"/>
            <xsl:choose>
              <xsl:when test="$p"><a href="{f:entity-href($p)}"><xsl:value-of select="f:entity-name($p)"/></a></xsl:when>
              <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
            </xsl:choose>
          </xsl:for-each-group>
        </p>
      </xsl:if>
      <section class="backlinks" aria-label="Mentions of {f:entity-name(.)}">
        <h3>Mentions</h3>
        <xsl:choose>
          <xsl:when test="empty($mentions)"><p>Not mentioned in the text.</p></xsl:when>
          <xsl:otherwise>
            <!-- Grouped by chapter (a chapter's title is written once per entry, not once per mention). Each
                 chapter's block (t:backlinks-chapter) is made with that chapter's other parts (parts.xsl);
                 editio splices the blocks in here in reading order. -->
            <ol class="mention-chapters">
              <xsl:processing-instruction name="editio-splice" select="'&amp;backlinks ' || @xml:id"/>
            </ol>
          </xsl:otherwise>
        </xsl:choose>
      </section>
    </article>
  </xsl:template>

  <!-- One chapter's mentions of one entry: the chapter, then each mention with its place and snippet. -->
  <xsl:template name="t:backlinks-chapter">
    <xsl:param name="mentions" as="element(x:mention)+"/>
    <xsl:variable name="ex" select="$mentions[1]/ancestor::x:extract"/>
    <li>
      <a href="{$ex/@page}"><xsl:value-of select="$ex/@title"/></a>
      <ul>
        <xsl:for-each select="$mentions">
          <li>
            <a href="{$ex/@page}#{@id}">
              <xsl:value-of select="(string-join((@pn ! ('¶ ' || .), @note ! ('note ' || .)), ', ')[. != ''],
                                     'heading')[1]"/>
            </a>
            <xsl:text>: </xsl:text>
            <xsl:call-template name="t:snippet"><xsl:with-param name="item" select="."/></xsl:call-template>
          </li>
        </xsl:for-each>
      </ul>
    </li>
  </xsl:template>

  <xsl:template match="tei:birth | tei:death" mode="m:entry-data">
    <dt><xsl:value-of select="if (self::tei:birth) then 'Born' else 'Died'"/></dt>
    <dd>
      <xsl:variable name="when" select="f:format-period(.)"/>
      <xsl:value-of select="$when"/>
      <xsl:if test="normalize-space(.) != ''">
        <xsl:if test="$when != ''">, </xsl:if>
        <xsl:apply-templates/>
      </xsl:if>
    </dd>
  </xsl:template>

  <xsl:template match="tei:occupation | tei:roleName | tei:affiliation | tei:country | tei:settlement | tei:state" mode="m:entry-data">
    <dt><xsl:value-of select="upper-case(substring(local-name(), 1, 1)) || substring(local-name(), 2)"/></dt>
    <dd><xsl:apply-templates/><xsl:if test="f:format-period(.) != ''"> (<xsl:value-of select="f:format-period(.)"/>)</xsl:if></dd>
  </xsl:template>

  <!-- Coordinates with a link to OpenStreetMap (a link, not an embedded map: no outside request). -->
  <xsl:template match="tei:location" mode="m:entry-data">
    <xsl:variable name="geo" select="tokenize(normalize-space(tei:geo[1]), '[\s,]+')"/>
    <xsl:if test="count($geo) = 2 and (every $c in $geo satisfies $c castable as xs:double)">
      <dt>Coordinates</dt>
      <dd>
        <span class="geo"><xsl:value-of select="f:format-coordinates(xs:double($geo[1]), xs:double($geo[2]))"/></span>
        <xsl:text> · </xsl:text>
        <a href="https://www.openstreetmap.org/?mlat={$geo[1]}&amp;mlon={$geo[2]}#map=8/{$geo[1]}/{$geo[2]}">OpenStreetMap</a>
      </dd>
    </xsl:if>
    <xsl:if test="tei:placeName | tei:settlement | tei:country | tei:address">
      <dt>Location</dt>
      <dd><xsl:value-of select="string-join((tei:placeName | tei:settlement | tei:country | tei:address) ! normalize-space(.), ', ')"/></dd>
    </xsl:if>
  </xsl:template>

  <!-- 55.7558, 37.6173 → "55.7558° N, 37.6173° E". -->
  <xsl:function name="f:format-coordinates" as="xs:string">
    <xsl:param name="lat" as="xs:double"/>
    <xsl:param name="lon" as="xs:double"/>
    <xsl:sequence select="abs($lat) || '° ' || (if ($lat ge 0) then 'N' else 'S') || ', '
                          || abs($lon) || '° ' || (if ($lon ge 0) then 'E' else 'W')"/>
  </xsl:function>

</xsl:stylesheet>
