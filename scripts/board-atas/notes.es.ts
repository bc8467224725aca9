import type { MinutesNotes } from '../../src/modules/minutes/minutes.notes.js';
import { turn, votes } from './meeting.js';

/** What a good language model returns for the board meeting's (pt-BR) transcript, asked for an acta in Spanish. */
export const notesEs: MinutesNotes = {
  title: 'Reunión Ordinaria de Julio de 2026',
  presiding: 'Helena Prado',
  presidingSourceTurn: turn.chairPresides,
  secretary: 'Ricardo Menezes',
  secretarySourceTurn: turn.secretaryActs,
  attendees: [
    { name: 'Helena Prado', role: 'Presidenta del Consejo' },
    { name: 'Marcos Tavares', role: 'Consejero' },
    { name: 'Beatriz Lins', role: 'Consejera' },
    { name: 'Paulo Azevedo', role: 'Consejero' },
    { name: 'Camila Rocha', role: 'Consejera' },
    { name: 'Fernando Quintela', role: 'Consejero' },
    { name: 'Ricardo Menezes', role: 'Secretario de la reunión' },
    { name: 'André Figueiredo', role: 'Director General, invitado' },
    { name: 'Juliana Costa', role: 'Directora Financiera, invitada' },
  ],
  agenda: [
    {
      agendaItem: 1,
      title: 'Acta de la reunión anterior',
      discussion:
        'La Presidenta sometió a la consideración del Consejo el borrador del acta de la reunión ordinaria de mayo, distribuido a los consejeros con diez días de antelación, e informó que la secretaría había incorporado las observaciones de redacción formuladas por el consejero Marcos Tavares, relativa al plazo de la financiación, y por la consejera Beatriz Lins, relativa a la composición del Comité de Auditoría, lo que ambos confirmaron. No hubo más observaciones.',
    },
    {
      agendaItem: 2,
      title: 'Resultados del segundo trimestre',
      discussion: [
        'La Directora Financiera, Juliana Costa, presentó los resultados del segundo trimestre. Los ingresos netos alcanzaron R$ 312 millones, un 11 % más que en el mismo trimestre del año anterior, impulsados por el almacenamiento, que creció un 18 % con la incorporación de dos nuevos clientes del comercio farmacéutico; el transporte por carretera creció un 4 %, por debajo del presupuesto, debido a la caída del volumen del sector agropecuario en abril y mayo. El EBITDA ajustado fue de R$ 58 millones, con un margen del 18,6 % (17,1 % el año anterior), gracias a la renegociación de los contratos de flete de retorno y a la reducción del coste de combustible por kilómetro, compensadas en parte por el aumento de los gastos de personal derivado del convenio colectivo y de las contrataciones anticipadas para el centro de distribución de Cajamar, que comenzará a facturar en septiembre. El beneficio neto fue de R$ 21 millones, estable respecto del trimestre anterior, con gastos por intereses de R$ 14 millones.',
        'La deuda neta cerró junio en R$ 210 millones, equivalente a 1,08 veces el EBITDA de los últimos doce meses, holgadamente dentro del límite de 2,5 veces previsto en las obligaciones (debêntures); la generación de caja operativa fue de R$ 44 millones y la caja cerró el período en R$ 96 millones. Por segmento, el almacenamiento registró ingresos de R$ 148 millones, un margen EBITDA del 24 % y una ocupación media récord del 92 %; el transporte, ingresos de R$ 139 millones y un margen del 12 %, afectado por el coste de mantenimiento de una flota con una antigüedad media de seis años y medio, cuyo plan de renovación surtirá efecto a partir del cuarto trimestre; y la logística integrada, ingresos de R$ 25 millones y un margen del 6 %, que se prevé alcance el 10 % el año próximo. Las inversiones del semestre sumaron R$ 38 millones, dentro del presupuesto del ejercicio.',
        'En respuesta al consejero Marcos Tavares, la Directora Financiera explicó que el aumento del plazo medio de cobro, de 42 a 51 días, obedece a que dos grandes clientes del comercio minorista alargaron sus pagos, uno de los cuales ya aceptó volver a 45 días a partir de agosto; el consejero subrayó el efecto de casi R$ 30 millones sobre el capital de trabajo, y el Director General, André Figueiredo, informó de la creación de un comité semanal de crédito y cobranza, cuya evolución presentará en la próxima reunión. A la consejera Beatriz Lins, la Directora Financiera le informó que el aumento de la provisión para contingencias laborales se debe a una demanda colectiva del sindicato de conductores de Campinas relativa a las horas de espera, calificada por los abogados externos como de pérdida posible, con una provisión de R$ 3,2 millones por la parte de pérdida probable. Al consejero Paulo Azevedo le confirmó la previsión de crecimiento de ingresos del 9 % al 12 % para el ejercicio y un margen EBITDA de entre el 18 % y el 19 %. A la consejera Camila Rocha, el Director General le informó que la implantación del sistema de gestión de almacenes sufrió un retraso de unas seis semanas en la migración de los datos del segundo almacén, con finalización prevista en octubre y sin cambios en el presupuesto total del proyecto.',
        'El Consejo examinó los resultados, y el Comité de Auditoría concluirá la revisión de los estados financieros trimestrales antes de su divulgación.',
      ].join('\n\n'),
    },
    {
      agendaItem: 3,
      title: 'Presupuesto de inversiones del centro de distribución de Extrema (MG)',
      discussion: [
        'El Director General presentó la propuesta de construir un centro de distribución de 32.000 m² en Extrema (Minas Gerais), en un terreno de 80.000 m² próximo a la carretera Fernão Dias, con posibilidad de ampliación en una segunda fase, en vista de la ocupación del 94 % de la capacidad de almacenamiento en el eje São Paulo y sur de Minas Gerais y de la pérdida de dos licitaciones en el primer semestre por falta de espacio. La inversión de la primera fase asciende a R$ 48 millones, de los cuales R$ 31 millones en obra civil, R$ 9 millones en equipos de manipulación y sistemas y R$ 8 millones en el terreno, con inicio de las obras en octubre y operación a partir del segundo semestre del año próximo; las cartas de intención de tres clientes cubren cerca del 60 % de la superficie. Entre las cuatro alternativas evaluadas (Extrema, Pouso Alegre, Jundiaí y Louveira), se optó por Extrema por los incentivos fiscales del Estado de Minas Gerais, un coste del terreno cerca de un 30 % inferior y el acceso a la carretera Fernão Dias, según el estudio comparativo del Anexo 2. La Directora Financiera informó de una tasa interna de retorno real del 17 %, frente a un coste de capital del 11 %, un plazo de recuperación de seis años y medio, una financiación del 60 % mediante una línea del BNDES, ya en análisis, y del 40 % con caja propia, y un apalancamiento máximo previsto de 1,6 veces el EBITDA a finales del año próximo.',
        'Preguntado por el consejero Paulo Azevedo sobre la sensibilidad de la rentabilidad a una ocupación más lenta, el Director General indicó que, en el escenario pesimista del Anexo 3, con una ocupación del 70 % solo en el tercer año, la tasa interna de retorno sería del 12,8 %, aún superior al coste de capital. El consejero Marcos Tavares propuso condicionar el desembolso de la obra civil a la aprobación de la financiación del BNDES, lo que la Directora Financiera consideró viable, pues el terreno y los proyectos ejecutivos pueden pagarse con caja propia. En respuesta a la consejera Camila Rocha, el Director General informó que el informe ambiental preliminar no identificó pasivos, pero que aún no se ha realizado la due diligence ambiental completa; la consejera Beatriz Lins propuso que esta sea también condición para la compra del terreno, propuesta a la que se sumó la Presidenta.',
        'Antes de la votación, el consejero Fernando Quintela, tal como había anunciado al inicio de la reunión, declaró un conflicto de intereses, por ser accionista minoritario de Quintela Distribuidora, una de las firmantes de las cartas de intención, y se abstuvo de votar, lo que el Secretario hizo constar. Al emitir su voto, el consejero Paulo Azevedo recomendó que la Dirección informe trimestralmente sobre la evolución de la ocupación del nuevo centro.',
      ].join('\n\n'),
    },
    {
      agendaItem: 4,
      title: 'Intereses sobre el capital propio',
      discussion:
        'La Directora Financiera presentó la propuesta de la Dirección de declarar intereses sobre el capital propio por un importe bruto de R$ 12.500.000,00, equivalente a aproximadamente R$ 0,19 por acción, imputados al dividendo mínimo obligatorio del ejercicio, dentro del límite legal calculado mediante la aplicación de la tasa de interés de largo plazo (TJLP) al patrimonio neto, con un beneficio fiscal estimado de R$ 4,2 millones para la Sociedad, fecha de corte el 15 de agosto, negociación de las acciones sin derecho a partir del 18 de agosto y pago hasta el 30 de diciembre. La consejera Beatriz Lins informó que el Comité de Auditoría examinó la propuesta y el cálculo del límite deducible, no tiene objeciones y recomienda su aprobación. En respuesta al consejero Marcos Tavares, la Directora Financiera aclaró que, teniendo en cuenta este pago y la parte del proyecto de Extrema financiada con caja propia, la caja mínima prevista es de R$ 60 millones, por encima del mínimo de R$ 45 millones que fija la política de caja.',
    },
    {
      agendaItem: 5,
      title: 'Gestión de riesgos y seguridad de la información',
      discussion: [
        'La consejera Camila Rocha, que coordina el tema en el Comité de Riesgos, informó que en junio un intento de intrusión mediante phishing comprometió la cuenta de correo electrónico de un analista del área comercial; el acceso se bloqueó en cuarenta minutos, no hubo acceso a datos personales de clientes ni a sistemas financieros y, según el encargado de protección de datos, no es necesario comunicarlo a la Autoridad Nacional de Protección de Datos (ANPD). El incidente puso de manifiesto que la autenticación en dos factores no era obligatoria para todos los usuarios y que la formación de concienciación está atrasada en las sucursales. Informó además que la prueba de intrusión externa, concluida en julio, identificó once vulnerabilidades, ninguna crítica y dos de severidad alta, ya corregidas, con un plan de corrección de las demás hasta finales de septiembre, y que el seguro de riesgos cibernéticos se renovó en junio, con una cobertura de R$ 20 millones, habiendo exigido la aseguradora, para la próxima renovación, la acreditación de la formación de todos los empleados.',
        'El Director General informó que la autenticación en dos factores es obligatoria para todos los empleados desde el 1 de julio, con una adhesión del 97 %, y que las cuentas de servicio restantes están en revisión. El consejero Paulo Azevedo sugirió realizar, antes de que termine el ejercicio, un simulacro de ataque con la Dirección, en vista de los incidentes de ransomware sufridos por otras empresas del sector, y la consejera Camila Rocha propuso revisar la política de riesgos cibernéticos, de 2022, y actualizar la matriz de riesgos para incluir la dependencia de proveedores de tecnología. La consejera Beatriz Lins informó que el Comité de Auditoría incluirá los controles de acceso en el alcance de la auditoría interna del segundo semestre.',
      ].join('\n\n'),
    },
    {
      agendaItem: 6,
      title: 'Asuntos varios',
      discussion:
        'El consejero Marcos Tavares recordó que el mandato del auditor independiente vence el año próximo y que, debido a la rotación obligatoria, el proceso de selección debe comenzar en el último trimestre; la consejera Beatriz Lins indicó que el asunto ya figura en el plan del Comité de Auditoría. El consejero Fernando Quintela agradeció a la Dirección la antelación y la calidad de la documentación de la reunión. El Secretario recordó que, debido al acuerdo sobre intereses sobre el capital propio, la presente acta debe inscribirse en la Junta Comercial en un plazo de treinta días, y que será firmada electrónicamente por la Presidenta y el Secretario. La próxima reunión ordinaria quedó fijada para el 24 de septiembre, a las 9 horas, en el mismo formato.',
    },
  ],
  decisions: [
    {
      text: 'Aprobar el acta de la reunión ordinaria del Consejo de Administración celebrada en mayo, en los términos del borrador distribuido, con las observaciones de redacción incorporadas.',
      proposedBy: null,
      outcome: 'approved',
      vote: votes.unanimous,
      agendaItem: 1,
      sourceTurn: turn.mayMinutesApproved,
    },
    {
      text: 'Tomar conocimiento de los resultados del segundo trimestre presentados por la Dirección, correspondiendo al Comité de Auditoría concluir la revisión de los estados financieros trimestrales antes de su divulgación.',
      proposedBy: null,
      outcome: 'no_vote',
      vote: votes.none,
      agendaItem: 2,
      sourceTurn: turn.quarterReviewed,
    },
    {
      text: 'Aprobar el presupuesto de inversiones de R$ 48.000.000,00 (cuarenta y ocho millones de reales) para la primera fase del centro de distribución de Extrema (MG), quedando la compra del terreno condicionada a una due diligence ambiental sin salvedades relevantes y el inicio de la obra civil a la aprobación de la financiación del BNDES.',
      proposedBy: 'Dirección',
      outcome: 'approved',
      vote: votes.extrema,
      agendaItem: 3,
      sourceTurn: turn.extremaApproved,
    },
    {
      text: 'Incluir el seguimiento de la ocupación del centro de distribución de Extrema como punto permanente del orden del día de las reuniones trimestrales del Consejo, a partir de noviembre.',
      proposedBy: 'Paulo Azevedo',
      outcome: 'no_vote',
      vote: votes.none,
      agendaItem: 3,
      sourceTurn: turn.occupancyOnAgenda,
    },
    {
      text: 'Aprobar la declaración de intereses sobre el capital propio por un importe bruto de R$ 12.500.000,00 (doce millones quinientos mil reales), imputados al dividendo mínimo obligatorio del ejercicio, con fecha de corte el 15 de agosto y pago hasta el 30 de diciembre.',
      proposedBy: 'Dirección',
      outcome: 'approved',
      vote: votes.unanimous,
      agendaItem: 4,
      sourceTurn: turn.interestOnEquityApproved,
    },
  ],
  actionItems: [
    { owner: 'Ricardo Menezes', task: 'Recabar las firmas digitales del acta de la reunión de mayo.', due: 'esta misma semana', sourceTurn: turn.mayMinutesSignatures },
    { owner: 'André Figueiredo', task: 'Presentar la evolución del plazo medio de cobro y del comité de crédito y cobranza.', due: 'en la próxima reunión', sourceTurn: turn.receivablesFollowUp },
    { owner: 'Comité de Auditoría', task: 'Concluir la revisión de los estados financieros del segundo trimestre.', due: 'antes de su divulgación', sourceTurn: turn.quarterReviewed },
    { owner: 'André Figueiredo', task: 'Contratar la due diligence ambiental del terreno de Extrema, tras pedir presupuesto a tres consultoras.', due: 'hasta el 31/08/2026', sourceTurn: turn.environmentalDueDiligence },
    { owner: 'Juliana Costa', task: 'Enviar al Consejo el cronograma físico-financiero de desembolsos de Extrema, separando caja propia y financiación del BNDES.', due: 'hasta el 15/08/2026', sourceTurn: turn.disbursementSchedule },
    { owner: 'Ricardo Menezes', task: 'Publicar el aviso a los accionistas y el comunicado al mercado sobre los intereses sobre el capital propio.', due: 'hasta el 02/08/2026', sourceTurn: turn.interestOnEquityNotice },
    { owner: 'Camila Rocha', task: 'Revisar la política de riesgos cibernéticos con la dirección de tecnología, incluido el simulacro de ataque, y presentar la propuesta al Consejo.', due: 'hasta el 30/09/2026', sourceTurn: turn.cyberPolicyReview },
    { owner: 'Beatriz Lins', task: 'Presentar el informe del Comité de Auditoría sobre controles internos, incluidos los controles de acceso.', due: 'el 24/09/2026', sourceTurn: turn.internalControlsReport },
    { owner: 'Beatriz Lins', task: 'Presentar la propuesta de términos de referencia para la selección del auditor independiente.', due: 'en octubre', sourceTurn: turn.auditorSelection },
    { owner: 'Ricardo Menezes', task: 'Inscribir la presente acta en la Junta Comercial.', due: 'dentro de treinta días', sourceTurn: turn.boardOfTradeFiling },
    { owner: 'Ricardo Menezes', task: 'Distribuir el borrador de la presente acta y enviarla para la firma electrónica de la Presidenta y del Secretario.', due: 'dentro de cinco días hábiles', sourceTurn: turn.minutesDraft },
  ],
};
