<?xml version="1.0" encoding="UTF-8"?>
<!-- Core TEI → HTML: divisions, headings, paragraphs, highlighting, quotations, lines, breaks, lists, links,
     and the warning for any TEI element without a template (its content is kept, never silently lost). -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:editio:function"
  xmlns:t="urn:editio:template"
  exclude-result-prefixes="#all">

  <!-- Any TEI element without its own template: warn (file, line, element) and render its content. -->
  <xsl:template match="tei:*">
    <xsl:call-template name="t:warn">
      <xsl:with-param name="node" select="."/>
      <xsl:with-param name="rule" select="'html.unhandled'"/>
      <xsl:with-param name="message" select="'no web template for &lt;' || local-name() || '&gt;; its text is shown without markup'"/>
    </xsl:call-template>
    <!-- Its text only: unknown markup could hold block content where HTML allows only phrasing. -->
    <span class="tei-{local-name()}"><xsl:value-of select="f:plain-text(., 'corrected')"/></span>
  </xsl:template>

  <!-- Elements outside the TEI namespace are foreign to the schema: warn and keep their text. -->
  <xsl:template match="*[not(namespace-uri() = 'http://www.tei-c.org/ns/1.0')]">
    <xsl:call-template name="t:warn">
      <xsl:with-param name="node" select="."/>
      <xsl:with-param name="rule" select="'html.unhandled'"/>
      <xsl:with-param name="message" select="'element &lt;' || name() || '&gt; is not TEI; its text is shown without markup'"/>
    </xsl:call-template>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()"/>

  <xsl:template match="tei:text | tei:body | tei:front | tei:back | tei:group">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- A division with a heading of its own is a section; one whose heading is the page title is a div. -->
  <xsl:template match="tei:div">
    <xsl:element name="{if (tei:head[not(. is f:title-head(.))]) then 'section' else 'div'}">
      <xsl:attribute name="class" select="'div' || @type ! (' div-' || .)"/>
      <xsl:if test="@xml:id">
        <xsl:attribute name="id" select="@xml:id"/>
      </xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- Headings: level from the nesting of divisions (the page title is h1, so a chapter's own head is h1 too). -->
  <xsl:template match="tei:head">
    <xsl:variable name="level" select="min((count(ancestor::tei:div), 5)) + (if (ancestor::tei:body) then 0 else 1)"/>
    <xsl:element name="h{max(($level, 1))}">
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:p">
    <xsl:element name="{if (f:has-blocks(.)) then 'div' else 'p'}">
      <xsl:if test="f:has-blocks(.)"><xsl:attribute name="class" select="'p'"/></xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- True if a TEI element holds content that becomes an HTML block (list, table, verse, block quotation, figure). -->
  <xsl:function name="f:has-blocks" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="exists($el/(tei:list | tei:table | tei:lg | tei:quote[tei:p | tei:lg] | tei:cit[tei:quote[tei:p | tei:lg]] | tei:figure))"/>
  </xsl:function>

  <xsl:template match="tei:hi">
    <xsl:variable name="rend" select="tokenize(lower-case(@rend))"/>
    <xsl:choose>
      <xsl:when test="$rend = ('sup', 'superscript')"><sup><xsl:apply-templates/></sup></xsl:when>
      <xsl:when test="$rend = ('sub', 'subscript')"><sub><xsl:apply-templates/></sub></xsl:when>
      <xsl:when test="$rend = ('bold', 'b')"><b><xsl:apply-templates/></b></xsl:when>
      <xsl:when test="$rend = ('italic', 'italics', 'i')"><i><xsl:apply-templates/></i></xsl:when>
      <xsl:otherwise><span class="hi{$rend ! (' rend-' || replace(., '[^a-z0-9-]', ''))}"><xsl:apply-templates/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:emph"><em><xsl:apply-templates/></em></xsl:template>
  <xsl:template match="tei:term | tei:mentioned | tei:soCalled | tei:gloss"><span class="{local-name()}"><xsl:apply-templates/></span></xsl:template>
  <xsl:template match="tei:title"><cite class="title"><xsl:apply-templates/></cite></xsl:template>
  <xsl:template match="tei:foreign">
    <i class="foreign">
      <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
      <xsl:apply-templates/>
    </i>
  </xsl:template>

  <!-- Quotations: the source's own quotation marks are in the text, so q and said add none. -->
  <xsl:template match="tei:q | tei:said | tei:quote[not(tei:p | tei:lg)]">
    <span class="{local-name()}"><xsl:apply-templates/></span>
  </xsl:template>
  <xsl:template match="tei:quote | tei:cit">
    <blockquote class="{local-name()}"><xsl:apply-templates/></blockquote>
  </xsl:template>
  <xsl:template match="tei:cit[not(tei:quote[tei:p | tei:lg])]" priority="1">
    <span class="cit"><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="tei:lb"><br/></xsl:template>
  <xsl:template match="tei:cb | tei:milestone | tei:anchor | tei:index"/>
  <xsl:template match="tei:pb">
    <xsl:variable name="facs" select="string(@facs)"/>
    <span class="pb" role="note">
      <xsl:choose>
        <xsl:when test="@facs and f:safe-url($facs)">
          <a href="{iri-to-uri($facs)}">[p. <xsl:value-of select="@n"/>]</a>
        </xsl:when>
        <xsl:otherwise>
          <xsl:if test="@facs">
            <xsl:call-template name="t:unsafe-url"><xsl:with-param name="attr" select="@facs"/></xsl:call-template>
          </xsl:if>
          <xsl:text>[p. </xsl:text><xsl:value-of select="@n"/><xsl:text>]</xsl:text>
        </xsl:otherwise>
      </xsl:choose>
    </span>
  </xsl:template>

  <xsl:template match="tei:lg"><div class="lg"><xsl:apply-templates/></div></xsl:template>
  <xsl:template match="tei:l"><span class="l"><xsl:apply-templates/></span><br/></xsl:template>

  <xsl:template match="tei:list">
    <xsl:element name="{if (@type = ('ordered', 'numbered')) then 'ol' else 'ul'}">
      <xsl:apply-templates select="tei:item"/>
    </xsl:element>
    <xsl:apply-templates select="* except tei:item"/>
  </xsl:template>
  <xsl:template match="tei:item"><li><xsl:apply-templates/></li></xsl:template>
  <xsl:template match="tei:label"><span class="label"><xsl:apply-templates/></span></xsl:template>

  <xsl:template match="tei:seg | tei:s | tei:w | tei:c | tei:pc | tei:num | tei:measure | tei:time | tei:bibl/* | tei:roleName | tei:forename | tei:surname | tei:addName | tei:genName | tei:nameLink">
    <span class="{local-name()}"><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="tei:bibl | tei:biblStruct">
    <span class="bibl"><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="tei:gap">
    <span class="gap" title="{string-join(('omitted', @reason, @quantity ! (. || ' ' || ../@unit)), ' ')}">[…]</span>
  </xsl:template>
  <xsl:template match="tei:unclear"><span class="unclear" title="unclear"><xsl:apply-templates/></span></xsl:template>
  <xsl:template match="tei:space"><xsl:text> </xsl:text></xsl:template>
  <xsl:template match="tei:add"><ins class="add"><xsl:apply-templates/></ins></xsl:template>
  <xsl:template match="tei:del"><del class="del"><xsl:apply-templates/></del></xsl:template>

  <xsl:template match="tei:figure"><figure><xsl:apply-templates/></figure></xsl:template>
  <xsl:template match="tei:figDesc"><figcaption><xsl:apply-templates/></figcaption></xsl:template>
  <!-- Images are linked, not embedded: an embedded outside image would be a request that leaves the site. -->
  <xsl:template match="tei:graphic">
    <xsl:choose>
      <xsl:when test="f:safe-url(@url)"><a class="graphic" href="{iri-to-uri(@url)}">[image]</a></xsl:when>
      <xsl:otherwise><xsl:call-template name="t:unsafe-url"><xsl:with-param name="attr" select="@url"/></xsl:call-template></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:table"><table><xsl:apply-templates/></table></xsl:template>
  <xsl:template match="tei:row"><tr><xsl:apply-templates/></tr></xsl:template>
  <xsl:template match="tei:cell"><xsl:element name="{if (../@role = 'label' or @role = 'label') then 'th' else 'td'}"><xsl:apply-templates/></xsl:element></xsl:template>

  <!-- Links: tei:ref/@target and tei:ptr/@target become links only if the URL is safe; pointers into the
       register go to its pages. -->
  <xsl:template match="tei:ref | tei:ptr">
    <!-- Set when a chapter's content is shown on another page (notes index): "#x" then means that chapter's #x. -->
    <xsl:param name="source-page" as="xs:string" tunnel="yes" select="''"/>
    <xsl:param name="in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="local" select="f:link-url(string(@target))"/>
    <xsl:variable name="url" select="if (starts-with($local, '#') and $source-page != '') then $source-page || $local else $local"/>
    <xsl:choose>
      <xsl:when test="not(@target) or $in-link"><xsl:apply-templates/></xsl:when>
      <xsl:when test="f:safe-url(@target)">
        <a href="{iri-to-uri($url)}"><xsl:apply-templates/><xsl:if test="self::tei:ptr"><xsl:value-of select="@target"/></xsl:if></a>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="t:unsafe-url"><xsl:with-param name="attr" select="@target"/></xsl:call-template>
        <xsl:apply-templates/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Rewrite a TEI pointer for the site: "register.xml#x" → the register page of x, "other.xml#p3" → "other.html#p3". -->
  <xsl:function name="f:link-url" as="xs:string">
    <xsl:param name="target" as="xs:string"/>
    <xsl:variable name="t" select="normalize-space($target)"/>
    <xsl:variable name="entry" select="f:entity($t, $register)"/>
    <xsl:choose>
      <xsl:when test="$entry and (starts-with($t, '#') or matches($t, '^[^:/]*register\.xml#'))">
        <xsl:sequence select="f:entity-href($entry)"/>
      </xsl:when>
      <xsl:when test="matches($t, '^[A-Za-z0-9._-]+\.xml(#.*)?$')">
        <xsl:sequence select="replace($t, '\.xml', '.html')"/>
      </xsl:when>
      <xsl:otherwise><xsl:sequence select="$t"/></xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- Drop an unsafe URL with a warning naming it. -->
  <xsl:template name="t:unsafe-url">
    <xsl:param name="attr" as="node()"/>
    <xsl:call-template name="t:warn">
      <xsl:with-param name="node" select="$attr/.."/>
      <xsl:with-param name="rule" select="'html.unsafe-url'"/>
      <xsl:with-param name="message" select="'unsafe URL dropped from @' || name($attr) || ' of &lt;' || local-name($attr/..)
        || '&gt;: ' || substring(normalize-space($attr), 1, 60) || ' (only http, https, mailto and relative links are allowed)'"/>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>
