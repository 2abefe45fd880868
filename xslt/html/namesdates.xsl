<?xml version="1.0" encoding="UTF-8"?>
<!-- Names and dates: mentions become links to their register entries, typed (not by colour alone) and with a
     popover (shown with JavaScript; a plain link without); dates become <time>. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:editio:function"
  xmlns:t="urn:editio:template"
  exclude-result-prefixes="#all">

  <!-- The register page of each kind of entry. -->
  <xsl:function name="f:kind-page" as="xs:string">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:sequence select="map{'person': 'persons.html', 'place': 'places.html', 'org': 'organisations.html',
                              'event': 'events.html'}($kind)"/>
  </xsl:function>

  <!-- The link to a register entry: "persons.html#yezhov". -->
  <xsl:function name="f:entity-href" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="f:kind-page(f:entity-kind($entry)) || '#' || $entry/@xml:id"/>
  </xsl:function>

  <!-- A mention. In a chapter ($chapter-mode) it gets an id (for the register's backlinks) and a popover. -->
  <xsl:template match="tei:persName[@ref] | tei:placeName[@ref] | tei:orgName[@ref] | tei:rs[@ref] | tei:name[@ref]">
    <xsl:param name="chapter-mode" as="xs:boolean" tunnel="yes" select="false()"/>
    <!-- True inside another link: links do not nest, so a nested mention is marked but not linked. -->
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="entry" select="f:entity(@ref, $register)"/>
    <xsl:variable name="kind" select="f:mention-kind-of(., $entry)"/>
    <xsl:variable name="safe" select="f:safe-url(@ref)"/>
    <xsl:variable name="id" select="if ($chapter-mode and f:is-mention(.)) then f:mention-id(.) else ()"/>
    <xsl:if test="not($safe)">
      <xsl:call-template name="t:unsafe-url"><xsl:with-param name="attr" select="@ref"/></xsl:call-template>
    </xsl:if>
    <xsl:variable name="href" select="if ($entry) then f:entity-href($entry)
                                      else if ($safe and f:url-scheme(@ref) = ('http', 'https')) then iri-to-uri(normalize-space(@ref))
                                      else ()"/>
    <span class="mention" data-type="{$kind}">
      <xsl:choose>
        <xsl:when test="$in-link">
          <span class="nested">
            <xsl:if test="exists($id)"><xsl:attribute name="id" select="$id"/></xsl:if>
            <xsl:apply-templates select="node() except .//tei:note"/>
          </span>
        </xsl:when>
        <xsl:when test="exists($href)">
          <a href="{$href}">
            <xsl:if test="exists($id)">
              <xsl:attribute name="id" select="$id"/>
              <xsl:if test="$entry"><xsl:attribute name="aria-describedby" select="f:popover-id($entry)"/></xsl:if>
            </xsl:if>
            <span class="vh"><xsl:value-of select="f:kind-singular($kind)"/>: </span>
            <xsl:apply-templates select="node() except .//tei:note">
              <xsl:with-param name="in-link" select="true()" tunnel="yes"/>
            </xsl:apply-templates>
          </a>
        </xsl:when>
        <xsl:otherwise>
          <xsl:if test="$safe">
            <xsl:call-template name="t:warn">
              <xsl:with-param name="node" select="."/>
              <xsl:with-param name="rule" select="'html.unresolved-ref'"/>
              <xsl:with-param name="message" select="'@ref=&quot;' || @ref || '&quot; is not an entry of the register; the mention is not linked'"/>
            </xsl:call-template>
          </xsl:if>
          <span class="unresolved">
            <xsl:if test="exists($id)"><xsl:attribute name="id" select="$id"/></xsl:if>
            <xsl:apply-templates select="node() except .//tei:note"/>
          </span>
        </xsl:otherwise>
      </xsl:choose>
    </span>
    <xsl:apply-templates select=".//tei:note"/>
  </xsl:template>

  <!-- Names without @ref (e.g. parts of a register entry) are plain text. -->
  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:rs | tei:name | tei:geogName">
    <span class="{local-name()}"><xsl:apply-templates/></span>
  </xsl:template>

  <!-- The id of an entry's popover on a chapter page (one popover per entry, shared by all its mentions). -->
  <xsl:function name="f:popover-id" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="'pop-' || $entry/@xml:id"/>
  </xsl:function>

  <!-- The popovers of a chapter page, one per entry mentioned, in a hidden container at the end of the page:
       every mention's link points at its entry's popover with aria-describedby (so screen readers get the
       description without JavaScript), and editio.js moves the popover into the mention under the pointer or
       the keyboard focus, where CSS shows it. Without JavaScript a mention is a plain link. One copy per
       entry, not per mention, keeps pages small. They are copied from $popovers when editio passes it. -->
  <xsl:template name="t:popovers">
    <xsl:variable name="ids" select="sort(distinct-values(//tei:text//*[@ref][f:is-mention(.)]/f:ref-id(@ref))
                                          [exists(f:entity('#' || ., $register))])"/>
    <xsl:if test="exists($ids)">
      <div class="pops" hidden="hidden">
        <xsl:for-each select="$ids">
          <xsl:sequence select="if (exists($popovers)) then key('f:popover-by-id', 'pop-' || ., $popovers)
                                else f:popover(f:entity('#' || ., $register))"/>
        </xsl:for-each>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- The popover of every entry of the register, made once per register (run by editio, which passes the result
       to each chapter page as $popovers, so a large edition does not make the same popovers for every chapter). -->
  <xsl:template name="t:popover-digest">
    <xsl:document>
      <pops>
        <xsl:for-each-group select="$register//(tei:person | tei:personGrp | tei:place | tei:org | tei:event)[@xml:id]"
                            group-by="string(@xml:id)">
          <xsl:sequence select="f:popover(.)"/>
        </xsl:for-each-group>
      </pops>
    </xsl:document>
  </xsl:template>

  <xsl:key name="f:popover-by-id" match="span[@role = 'tooltip']" use="@id"/>

  <!-- The popover of an entry (f:popover-id is its id). -->
  <xsl:function name="f:popover" as="element()">
    <xsl:param name="entry" as="element()"/>
    <span class="pop" role="tooltip" id="{f:popover-id($entry)}">
      <xsl:sequence select="f:popover-body($entry)/node()"/>
    </span>
  </xsl:function>

  <xsl:function name="f:popover-body" as="element()">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="dates" select="f:entity-dates($entry)"/>
    <xsl:variable name="summary" select="f:entity-summary($entry)"/>
    <span>
      <span class="pop-name"><xsl:value-of select="f:entity-name($entry)"/></span>
      <xsl:if test="$dates != ''">
        <xsl:text> </xsl:text><span class="pop-dates">(<xsl:value-of select="$dates"/>)</span>
      </xsl:if>
      <xsl:if test="$summary != ''">
        <xsl:text> </xsl:text><span class="pop-desc"><xsl:value-of select="$summary"/></span>
      </xsl:if>
    </span>
  </xsl:function>

  <!-- Dates: the text as written, with the normalized date in <time datetime> and as a title. -->
  <xsl:template match="tei:date">
    <xsl:variable name="dt" select="f:datetime(.)"/>
    <xsl:variable name="normal" select="f:format-period(.)"/>
    <xsl:element name="{if ($dt != '') then 'time' else 'span'}">
      <xsl:if test="$dt != ''"><xsl:attribute name="datetime" select="$dt"/></xsl:if>
      <xsl:attribute name="class" select="'date'"/>
      <xsl:if test="$normal != '' and $normal != normalize-space(.)"><xsl:attribute name="title" select="$normal"/></xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

</xsl:stylesheet>
