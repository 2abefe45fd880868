<?xml version="1.0" encoding="UTF-8"?>
<!-- Text criticism: choice/sic/corr, orig/reg, abbr/expan. Both readings are in the page; CSS shows the one the
     reading switch selects (the corrected one by default), so the switch works without JavaScript. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:editio:function"
  exclude-result-prefixes="#all">

  <xsl:template match="tei:choice">
    <span class="choice">
      <xsl:apply-templates select="tei:sic | tei:orig | tei:abbr"/>
      <xsl:apply-templates select="tei:corr | tei:reg | tei:expan"/>
      <xsl:apply-templates select="* except (tei:sic | tei:orig | tei:abbr | tei:corr | tei:reg | tei:expan)"/>
    </span>
  </xsl:template>

  <!-- The printed reading of a choice: hidden unless "as printed" is selected. -->
  <xsl:template match="tei:choice/tei:sic | tei:choice/tei:orig | tei:choice/tei:abbr">
    <span class="printed {local-name()}" data-reading="printed"><xsl:apply-templates/></span>
  </xsl:template>

  <!-- The corrected reading: marked (dotted underline) and titled with what the source has. -->
  <xsl:template match="tei:choice/tei:corr | tei:choice/tei:reg | tei:choice/tei:expan">
    <xsl:variable name="printed" select="f:plain-text(../(tei:sic | tei:orig | tei:abbr), 'printed')"/>
    <span class="corrected {local-name()}" data-reading="corrected"
          title="{if (self::tei:corr) then 'Corrected by the editors; printed: ' else 'Printed: '}{if ($printed = '') then '(nothing)' else $printed}">
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <!-- Text the source has but the editors consider surplus: shown only in the printed reading. -->
  <xsl:template match="tei:surplus">
    <span class="printed surplus" data-reading="printed" title="Surplus in the source{@reason ! (' (' || . || ')')}; left out of the corrected reading">
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <!-- Text the editors supply (lost in the source): shown only in the corrected reading, marked. -->
  <xsl:template match="tei:supplied">
    <span class="corrected supplied" data-reading="corrected" title="Supplied by the editors{@reason ! ('; ' || . || ' in the source')}">
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <!-- sic or corr outside a choice: an error kept as printed, or an editorial addition. -->
  <xsl:template match="tei:sic">
    <span class="sic-kept" title="sic: as printed"><xsl:apply-templates/></span>
  </xsl:template>
  <xsl:template match="tei:corr | tei:reg | tei:expan | tei:orig | tei:abbr">
    <span class="{local-name()}"><xsl:apply-templates/></span>
  </xsl:template>

</xsl:stylesheet>
